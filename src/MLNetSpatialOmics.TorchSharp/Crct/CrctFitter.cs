using MLNetSpatialOmics.TorchSharp.GraphLearning;
using MLNetSpatialOmics.Numerics;
using MLNetSpatialOmics.Clustering;
using MLNetSpatialOmics.TorchSharp.Praga;
using static TorchSharp.torch;

namespace MLNetSpatialOmics.TorchSharp.Crct;

/// <summary>What one CRCT fit produces: PRAGA's model parts (network, embedding, final mixture) and CRCT's history.</summary>
internal sealed class CrctFitResult
{
    public required PragaNetwork Network { get; init; }
    /// <summary>L2-normalised fused embedding of the training spots, N × d row-major.</summary>
    public required float[] Embedding { get; init; }
    public required int LatentDim { get; init; }
    public required ClusteringHeadTransformer Clustering { get; init; }
    public required List<CrctProgress> History { get; init; }
}

/// <summary>CRCT's training loop on in-memory matrices: SGD with momentum on Eq. 14, then PRAGA's final clustering.</summary>
internal static class CrctFitter
{
    public static CrctFitResult Fit(DenseMatrix coordinates, IReadOnlyList<DenseMatrix> modalities, CrctOptions options)
    {
        options.Validate();
        var praga = options.Praga;
        var device = TorchRuntime.ResolveDevice(praga.Device);
        int n = coordinates.Rows;
        for (int i = 0; i < modalities.Count; i++)
            if (modalities[i].Rows != n)
                throw new ArgumentException($"modality '{praga.ModalityColumns[i]}' has {modalities[i].Rows} rows but there are {n} spots.");
        if (n <= praga.Clusters) throw new ArgumentException($"{n} spots cannot be split into {praga.Clusters} clusters.");

        using var objective = new CrctObjective(coordinates, modalities, options, device);
        // After the graphs: their construction's temporaries would otherwise stay in the heap and fragment it.
        using var freedMemory = TorchRuntime.KeepFreedMemoryWhileFitting();
        var edgeDecay = BlockEdgeDecay.Applies(objective.IsMiniBatch, praga.StepPerBatch, praga.WeightDecay)
            ? new BlockEdgeDecay(objective.FeatureGraphs, praga.WeightDecay) : null;
        using var optimizer = new SgdStepper(objective.Parameters(), praga.LearningRate, praga.Momentum, praga.WeightDecay, edgeDecay?.Parameters);
        var history = new List<CrctProgress>(praga.Epochs);
        objective.Network.train();
        for (int epoch = 0; epoch < praga.Epochs; epoch++)
        {
            // Mini-batches accumulate into one step per epoch unless StepPerBatch; reported terms are target-weighted means.
            var parts = new List<(CrctProgress Progress, double Share)>();
            bool accumulate = objective.IsMiniBatch && !praga.StepPerBatch;
            if (accumulate) optimizer.ClearGradients();
            foreach (var batch in objective.Batches(epoch))
            {
                CrctProgress step;
                Tensor[]? kept;
                double share = (double)batch.TargetCount / n;
                using (NewDisposeScope())
                {
                    var terms = objective.Losses(epoch, batch);
                    if (accumulate) (terms.Total * share).backward();
                    else
                    {
                        optimizer.ClearGradients();
                        terms.Total.backward();
                        edgeDecay?.AddToGradients(batch.TargetNodes!);
                        optimizer.Step();
                    }
                    kept = objective.KeepForEma(terms);
                    step = terms.ToProgress(epoch, praga.Epochs);
                }
                objective.AfterStep(kept, batch);
                if (!double.IsFinite(step.Total))
                    throw new InvalidOperationException($"CRCT's loss became {step.Total} at epoch {epoch}; lower the learning rate or ρ₀.");
                parts.Add((step, share));
            }
            if (accumulate) optimizer.Step();
            var progress = parts.Count == 1 ? parts[0].Progress : CrctProgress.WeightedMean(parts);
            history.Add(progress);
            options.Progress?.Invoke(progress);
            TorchRuntime.ReleaseUnreachableTensors();
        }

        float[] embedding;
        using (var final = objective.FinalEmbedding()) embedding = final.contiguous().to(CPU).data<float>().ToArray();
        // PRAGA's final labelling (PCA + mclust-style mixture) on the CRCT-trained embedding.
        var clustering = PragaFitter.FitClusteringHead(embedding, (int)objective.LatentDim, praga);
        return new CrctFitResult
        {
            Network = objective.Network,
            Embedding = embedding,
            LatentDim = (int)objective.LatentDim,
            Clustering = clustering,
            History = history,
        };
    }
}
