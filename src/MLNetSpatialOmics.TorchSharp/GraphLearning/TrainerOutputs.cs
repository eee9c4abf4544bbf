using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetSpatialOmics.Data;
using MLNetSpatialOmics.DataView;

namespace MLNetSpatialOmics.TorchSharp.GraphLearning;

/// <summary>Reads a trainer's <c>PredictedLabel</c> key column back as 0-based cluster indices (−1 for missing).</summary>
public static class TrainerOutputs
{
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
