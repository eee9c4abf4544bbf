using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetSpatialOmics.Data;
using MLNetSpatialOmics.DataView;

namespace MLNetSpatialOmics.Plotting;

/// <summary>
/// Plots straight from a scored IDataView (the output of a trainer / clustering head): coordinates from
/// <c>X</c>/<c>Y</c>, clusters from <c>PredictedLabel</c>, the embedding from <c>Embedding</c>, truth from <c>Truth</c> when
/// the view has it. Column names can be overridden.
/// </summary>
public static class ScoredViewPlots
{
    public static void SaveDomainMap(string path, IDataView scored, PlotOptions? options = null,
        string predictedColumn = SectionColumns.PredictedLabel, string truthColumn = SectionColumns.Truth)
    {
        ArgumentNullException.ThrowIfNull(scored);
        var x = DataViewReader.ReadScalarColumn(scored, SectionColumns.X);
        var y = DataViewReader.ReadScalarColumn(scored, SectionColumns.Y);
        var predicted = ReadLabels(scored, predictedColumn)!;
        var truth = scored.Schema.GetColumnOrNull(truthColumn) is null ? null : ReadLabels(scored, truthColumn);
        DomainMapPlot.Save(path, x, y, predicted, truth, options);
    }

    public static void SaveEmbedding(string path, IDataView scored, PlotOptions? options = null,
        string embeddingColumn = SectionColumns.Embedding, string predictedColumn = SectionColumns.PredictedLabel,
        string truthColumn = SectionColumns.Truth)
    {
        ArgumentNullException.ThrowIfNull(scored);
        var embedding = DataViewReader.ReadVectorColumn(scored, embeddingColumn);
        var predicted = ReadLabels(scored, predictedColumn)!;
        var truth = scored.Schema.GetColumnOrNull(truthColumn) is null ? null : ReadLabels(scored, truthColumn);
        EmbeddingPlot.Save(path, embedding, predicted, truth, options);
    }

    /// <summary>Labels of a text, key (missing key = unknown) or integer-valued numeric column, as strings.</summary>
    internal static string?[] ReadLabels(IDataView view, string column)
    {
        var col = DataViewReader.GetColumn(view, column, "labels to colour by");
        if (col.Type is TextDataViewType or KeyDataViewType)
            return DataViewReader.ReadTextColumn(view, column).Select(s => string.IsNullOrEmpty(s) ? null : s).ToArray();
        if (col.Type is NumberDataViewType)
            return DataViewReader.ReadScalarColumn(view, column)
                .Select(v => double.IsFinite(v) ? v.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : null).ToArray();
        throw new ArgumentException($"column '{column}' is {col.Type}; labels must be a text, key or numeric scalar column.");
    }
}
