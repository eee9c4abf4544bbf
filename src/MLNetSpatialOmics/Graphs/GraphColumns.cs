using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetSpatialOmics.DataView;
using MLNetSpatialOmics.Numerics;

namespace MLNetSpatialOmics.Graphs;

/// <summary>
/// The per-spot neighbour columns a <see cref="GraphFeaturizerTransformer"/> adds (<c>{prefix}.Indices</c>:
/// vector&lt;Int32&gt;[k], −1 for an empty slot; <c>{prefix}.Distances</c>: vector&lt;Single&gt;[k], +∞ for an empty
/// slot), and the reader that turns them back into neighbour lists and sparse graphs inside trainers.
/// </summary>
public static class GraphColumns
{
    public static string Indices(string prefix) => prefix + ".Indices";
    public static string Distances(string prefix) => prefix + ".Distances";

    /// <summary>Reads the neighbour columns of <paramref name="prefix"/> back into a <see cref="NeighborList"/>.</summary>
    public static NeighborList ReadNeighborList(IDataView view, string prefix)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        string idxName = Indices(prefix), distName = Distances(prefix);
        var indices = DataViewReader.ReadInt32VectorColumn(view, idxName, out int k);
        var distances = DataViewReader.ReadVectorColumn(view, distName);
        int n = distances.Rows;
        if (distances.Cols != k)
            throw new ArgumentException($"'{idxName}' has {k} slots but '{distName}' has {distances.Cols}; they must come from one graph featurizer.");
        for (long p = 0; p < indices.LongLength; p++)
        {
            int j = indices[p];
            if (j != NeighborList.Missing && (uint)j >= (uint)n)
                throw new ArgumentException($"'{idxName}' row {p / k} lists spot {j}, but the view has {n} rows: " +
                    "neighbour columns must be read from the section they were built on (rows in their original order).");
        }
        try
        {
            return new NeighborList(n, k, indices, distances.Data);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"'{idxName}' is not a valid neighbour list: {e.Message}", e);
        }
    }

    /// <summary>The directed kNN graph stored in the neighbour columns (row i: i's neighbours).</summary>
    public static CsrMatrix ReadGraph(IDataView view, string prefix, EdgeWeighting weighting = EdgeWeighting.Binary)
        => ReadNeighborList(view, prefix).ToCsr(weighting);

    /// <summary>PRAGA's normalised adjacency D^-½(min(A + Aᵀ, 1) + I)D^-½ of the stored graph.</summary>
    public static CsrMatrix ReadPragaAdjacency(IDataView view, string prefix)
        => GraphOps.PragaNormalizedAdjacency(ReadNeighborList(view, prefix));

    internal static InMemoryColumn[] ToColumns(NeighborList list, string prefix)
    {
        var distances = new float[list.Distances.Length];
        for (int p = 0; p < distances.Length; p++) distances[p] = (float)list.Distances[p];
        return new[]
        {
            InMemoryColumn.Vector(Indices(prefix), list.Indices, list.K),
            InMemoryColumn.Vector(Distances(prefix), distances, list.K),
        };
    }

    internal static (string Name, DataViewType Type)[] OutputTypes(string prefix, int k) => new (string, DataViewType)[]
    {
        (Indices(prefix), new VectorDataViewType(NumberDataViewType.Int32, k)),
        (Distances(prefix), new VectorDataViewType(NumberDataViewType.Single, k)),
    };
}
