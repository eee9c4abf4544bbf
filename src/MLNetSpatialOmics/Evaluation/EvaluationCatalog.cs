using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetSpatialOmics.Data;
using MLNetSpatialOmics.DataView;

namespace MLNetSpatialOmics.Evaluation;

/// <summary>ML.NET-style entry point: <c>mlContext.Clustering.EvaluateSpatial(data)</c>.</summary>
public static class EvaluationCatalog
{
    /// <summary>
    /// Evaluates the predicted partition in <paramref name="predictedLabelColumnName"/> against
    /// <paramref name="labelColumnName"/>. Both may be key (0 = missing), text (empty = missing), integer or
    /// floating-point columns (NaN = missing; values must be whole numbers). With
    /// <paramref name="neighboursColumnName"/> (a fixed-size Int32 vector column of neighbour row indices, negative =
    /// padding) or <paramref name="neighbours"/>, the spatial coherence of the prediction is reported too; with
    /// <paramref name="spatialNeighbours"/> = k instead, the k nearest spots by the X/Y columns are used (exact,
    /// ties to the lower index — spdep's <c>knearneigh</c> sets; the papers' spatial graphs use k = 6 or 3).
    /// </summary>
    public static SpatialClusteringMetrics EvaluateSpatial(this ClusteringCatalog catalog, IDataView data,
        string labelColumnName = SectionColumns.Truth, string predictedLabelColumnName = SectionColumns.PredictedLabel,
        string? neighboursColumnName = null, IReadOnlyList<int[]>? neighbours = null, int spatialNeighbours = 0)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(data);
        int sources = (neighboursColumnName is null ? 0 : 1) + (neighbours is null ? 0 : 1) + (spatialNeighbours > 0 ? 1 : 0);
        if (sources > 1)
            throw new ArgumentException("give one neighbour source: neighboursColumnName, neighbours or spatialNeighbours.");
        if (spatialNeighbours < 0) throw new ArgumentOutOfRangeException(nameof(spatialNeighbours), spatialNeighbours, "must be ≥ 0 (0 = none).");
        if (spatialNeighbours > 0)
        {
            var x = DataViewReader.ReadScalarColumn(data, SectionColumns.X);
            var y = DataViewReader.ReadScalarColumn(data, SectionColumns.Y);
            var knn = Graphs.SpatialKnn.Compute(x, y, spatialNeighbours);
            var lists = new int[knn.Count][];
            for (int i = 0; i < knn.Count; i++)
            {
                var row = knn.NeighborsOf(i);
                var kept = new List<int>(row.Length);
                foreach (var j in row) if (j != Graphs.NeighborList.Missing) kept.Add(j);
                lists[i] = kept.ToArray();
            }
            neighbours = lists;
        }
        var truth = ReadLabels(data, labelColumnName, "truth labels");
        var predicted = ReadLabels(data, predictedLabelColumnName, "predicted labels");
        if (neighboursColumnName is not null)
        {
            var flat = DataViewReader.ReadInt32VectorColumn(data, neighboursColumnName, out int width);
            int n = truth.Codes.Length;
            var lists = new int[n][];
            for (int i = 0; i < n; i++)
                lists[i] = flat.AsSpan(i * width, width).ToArray().Where(j => j >= 0).ToArray();
            neighbours = lists;
        }
        return SpatialClusteringEvaluator.Evaluate(truth, predicted, neighbours);
    }

    internal static LabelCodes ReadLabels(IDataView data, string column, string purpose)
    {
        var col = DataViewReader.GetColumn(data, column, purpose);
        var type = col.Type;
        if (type is TextDataViewType) return LabelCodes.FromStrings(DataViewReader.ReadTextColumn(data, column));
        int rows = checked((int)DataViewReader.CountRows(data));
        var values = new int[rows];
        var present = new bool[rows];
        using var cursor = data.GetRowCursor(new[] { col });
        int i = 0;
        if (type is KeyDataViewType kt && kt.RawType == typeof(uint))
        {
            var g = cursor.GetGetter<uint>(col); uint v = 0;
            while (cursor.MoveNext())
            {
                g(ref v);
                if (v != 0) { values[i] = checked((int)v); present[i] = true; }
                i++;
            }
        }
        else if (type == NumberDataViewType.Int32)
        {
            var g = cursor.GetGetter<int>(col); int v = 0;
            while (cursor.MoveNext()) { g(ref v); values[i] = v; present[i++] = true; }
        }
        else if (type == NumberDataViewType.Int64)
        {
            var g = cursor.GetGetter<long>(col); long v = 0;
            while (cursor.MoveNext())
            {
                g(ref v);
                if (v < int.MinValue || v > int.MaxValue) throw new ArgumentException($"column '{column}' ({purpose}) holds {v}, outside the Int32 range of labels.");
                values[i] = (int)v; present[i++] = true;
            }
        }
        else if (type == NumberDataViewType.Single || type == NumberDataViewType.Double)
        {
            foreach (var v in DataViewReader.ReadScalarColumn(data, column))
            {
                if (double.IsNaN(v)) { i++; continue; }
                if (v != Math.Floor(v) || v < int.MinValue || v > int.MaxValue)
                    throw new ArgumentException($"column '{column}' ({purpose}) holds {v} at row {i}; numeric labels must be whole numbers (NaN = missing).");
                values[i] = (int)v; present[i++] = true;
            }
        }
        else throw new ArgumentException($"column '{column}' ({purpose}) is {type}; a key, text, integer or floating-point column was expected.");
        return LabelCodes.FromInts(values, present);
    }
}
