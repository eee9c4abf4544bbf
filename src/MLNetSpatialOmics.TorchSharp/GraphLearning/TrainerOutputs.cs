using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetSpatialOmics.Data;
using MLNetSpatialOmics.Clustering;
using MLNetSpatialOmics.DataView;
using MLNetSpatialOmics.Numerics;

namespace MLNetSpatialOmics.TorchSharp.GraphLearning;

/// <summary>
/// The outputs every graph trainer adds (<c>Embedding</c>, <c>PredictedLabel</c>, <c>Score</c>), the input checks its
/// transformer makes on a new section, and reading labels back.
/// </summary>
public static class TrainerOutputs
{
    /// <summary>Refuses a section whose modality columns do not have the widths the model was trained on.</summary>
    public static void CheckInputWidths(DenseMatrix[] modalities, int[] trainedWidths, IReadOnlyList<string> columns)
    {
        for (int m = 0; m < modalities.Length; m++)
            if (modalities[m].Cols != trainedWidths[m])
                throw new ArgumentException($"column '{columns[m]}' has {modalities[m].Cols} features; the model was trained on {trainedWidths[m]}.");
    }

    /// <summary>Appends the embedding (n × latent, row-major) and the clustering head's posterior and labels to <paramref name="input"/>.</summary>
    public static IDataView Append(IDataView input, float[] embedding, int latent, ClusteringHeadTransformer clustering, int clusters)
    {
        int n = embedding.Length / latent;
        var embeddingMatrix = new DenseMatrix(n, latent);
        for (int i = 0; i < embedding.Length; i++) embeddingMatrix.Data[i] = embedding[i];
        var posterior = clustering.Score(embeddingMatrix, out var labels);
        var score = posterior.Data.Select(v => (float)v).ToArray();
        var keys = labels.Select(l => (uint)(l + 1)).ToArray();
        return new InMemoryDataView(input, new[]
        {
            InMemoryColumn.Vector(SectionColumns.Embedding, (float[])embedding.Clone(), latent),
            InMemoryColumn.Key(SectionColumns.PredictedLabel, keys, clusters),
            InMemoryColumn.Vector(SectionColumns.Score, score, clusters),
        });
    }

    public static int[] ReadPredictedLabels(IDataView view, string column = SectionColumns.PredictedLabel)
    {
        var col = DataViewReader.GetColumn(view, column);
        if (col.Type is not KeyDataViewType { RawType: var raw } || raw != typeof(uint))
            throw new ArgumentException($"column '{column}' must be a UInt32 key column (a trainer's PredictedLabel); it is {col.Type}.");
        var result = new List<int>();
        using var cursor = view.GetRowCursor(new[] { col });
        var getter = cursor.GetGetter<uint>(col);
        uint value = 0;
        while (cursor.MoveNext())
        {
            getter(ref value);
            result.Add((int)value - 1);
        }
        return result.ToArray();
    }
}
