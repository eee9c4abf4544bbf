using MLNetSpatialOmics.Numerics;
using MLNetSpatialOmics.TorchSharp.GraphLearning;
using static TorchSharp.torch;

namespace MLNetSpatialOmics.TorchSharp.Trsmi;

/// <summary>
/// A section cut into TRSMI's mini-batch blocks (Cluster-GCN, Chiang et al. 2019). PRAGA's blocks carry a one-hop
/// context because its encoder is linear before a single propagation; TRSMI's multi-hop APPNP and global top-k
/// alignment would need the whole section as context, so each block is instead trained and embedded on the subgraph its
/// spots induce (<see cref="InducedSubgraph"/>): blocks are Z-order runs of spatially contiguous spots
/// (<see cref="MiniBatchPlanner.ZOrderBlocks"/>), so only the edges across block borders are lost.
/// </summary>
internal sealed class TrsmiBlocks
{
    private readonly InducedSubgraphs _subgraphs;
    private readonly IReadOnlyList<Tensor> _inputs;
    private readonly int _seed;

    /// <summary>Spots of each block, ascending within a block.</summary>
    public IReadOnlyList<int[]> Blocks { get; }
    public int SpotCount => _subgraphs.SpotCount;

    public TrsmiBlocks(SectionGraphs graphs, IReadOnlyList<Tensor> inputs, DenseMatrix coordinates, int batchSize, int seed, Device device)
    {
        _subgraphs = new InducedSubgraphs(graphs, device);
        _inputs = inputs;
        _seed = seed;
        Blocks = MiniBatchPlanner.ZOrderBlocks(coordinates, batchSize);
    }

    /// <summary>The order in which the blocks are visited in <paramref name="epoch"/> (the seeded shuffle PRAGA's blocks use).</summary>
    public int[] EpochOrder(int epoch) => MiniBatchPlanner.EpochOrder(Blocks.Count, _seed, epoch);

    /// <summary>Block <paramref name="block"/>'s induced graphs (caller disposes).</summary>
    public InducedSubgraph Build(int block) => _subgraphs.Build(Blocks[block]);

    /// <summary>The block's rows of every modality input.</summary>
    public Tensor[] Inputs(InducedSubgraph block) => block.Rows(_inputs);

    /// <summary>The learned (or, with <paramref name="initial"/>, unlearned) feature graphs on the block's induced supports.</summary>
    public static Tensor[] FeatureValues(InducedSubgraph block, IReadOnlyList<LearnableFeatureGraph> graphs, bool initial) =>
        graphs.Select((g, m) => initial
            ? g.InitialInducedValues(block.FeatureEdgeIds[m], block.Features[m])
            : g.InducedValues(block.FeatureEdgeIds[m], block.Features[m])).ToArray();

    /// <summary>
    /// Z* of every spot (N × d, not normalised, no gradient), block by block on the induced subgraphs: at training epoch
    /// <paramref name="epoch"/>'s β, or at the final β for inference (null).
    /// </summary>
    public Tensor Embed(TrsmiNetwork network, IReadOnlyList<LearnableFeatureGraph> graphs, bool initialGraphs, int? epoch, int epochs)
    {
        using var _ = no_grad();
        var result = zeros(SpotCount, network.LatentDim, device: _inputs[0].device);
        for (int b = 0; b < Blocks.Count; b++)
        {
            using var scope = NewDisposeScope();
            using var block = Build(b);
            var values = FeatureValues(block, graphs, initialGraphs);
            using var forward = network.Forward(Inputs(block), block.Spatial, block.Features, values, epoch, epochs, 0);
            result.index_copy_(0, block.NodeIndex, forward.Combined);
        }
        return result;
    }
}
