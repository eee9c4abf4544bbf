using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetSpatialOmics.Data;
using MLNetSpatialOmics.DataView;
using MLNetSpatialOmics.Evaluation;
using MLNetSpatialOmics.Persistence;

namespace MLNetSpatialOmics.Scoring;

/// <summary>
/// Scores whole tissue sections with a fitted pipeline (preprocessing → trainer or clustering head), without a
/// <c>PredictionEngine</c>: graph models embed a section at once, so each section is one <c>Transform</c>. Features are
/// matched to the training ones by slot name inside the transforms (other order is fine; missing genes are zero-filled
/// with a warning); columns the pipeline reads are checked up front so that a section lacking a modality fails with a
/// message naming it. Cluster ids are the model's: id k means the same trained cluster in every section.
/// </summary>
public sealed class SectionScorer
{
    private readonly MLContext _context;

    public ITransformer Model { get; }
    /// <summary>Columns the pipeline reads from a section (modalities, coordinates, ...).</summary>
    public IReadOnlyList<string> RequiredColumns { get; }
    public string PredictedLabelColumnName { get; init; } = SectionColumns.PredictedLabel;
    public string ScoreColumnName { get; init; } = SectionColumns.Score;
    public string TruthColumnName { get; init; } = SectionColumns.Truth;

    public SectionScorer(MLContext context, ITransformer model)
    {
        _context = context ?? throw new ArgumentNullException(nameof(context));
        Model = model ?? throw new ArgumentNullException(nameof(model));
        RequiredColumns = ModelInputs.RequiredColumns(model);
    }

    /// <summary>Loads a model zip written by <c>mlContext.Model.Save</c> (registering the library's loader first).</summary>
    public static SectionScorer Load(MLContext context, string modelPath) =>
        new(context, ModelPersistence.Load(context, modelPath, out _));

    /// <summary>Scores one section.</summary>
    public ScoredSection Score(SpatialSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        return Score(section.ToDataView(), section.Name ?? "section");
    }

    /// <summary>Scores one section given as a view with one row per spot (e.g. from <c>section.ToDataView()</c>).</summary>
    public ScoredSection Score(IDataView section, string name = "section")
    {
        ArgumentNullException.ThrowIfNull(section);
        CheckColumns(section.Schema, name);
        var watch = Stopwatch.StartNew();
        IDataView output;
        try
        {
            output = Model.Transform(section);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or InvalidDataException)
        {
            throw new ArgumentException($"section '{name}' could not be scored: {e.Message}", e);
        }
        var labels = ReadLabels(output, PredictedLabelColumnName, name);
        var score = output.Schema.GetColumnOrNull(ScoreColumnName) is { Type: VectorDataViewType }
            ? DataViewReader.ReadVectorColumn(output, ScoreColumnName) : null;
        var spots = output.Schema.GetColumnOrNull(SectionColumns.SpotId) is { Type: TextDataViewType }
            ? DataViewReader.ReadTextColumn(output, SectionColumns.SpotId) : null;
        watch.Stop();
        var metrics = output.Schema.GetColumnOrNull(TruthColumnName) is null ? null
            : _context.Clustering.EvaluateSpatial(output, TruthColumnName, PredictedLabelColumnName);
        return new ScoredSection
        {
            Name = name, Data = output, SpotIds = spots, Labels = labels, Score = score, Metrics = metrics, Elapsed = watch.Elapsed,
        };
    }

    /// <summary>Scores a list of sections one after another (each is embedded with its own graphs).</summary>
    public IReadOnlyList<ScoredSection> ScoreAll(IEnumerable<SpatialSection> sections)
    {
        ArgumentNullException.ThrowIfNull(sections);
        var results = new List<ScoredSection>();
        foreach (var s in sections)
        {
            if (s is null) throw new ArgumentException($"section {results.Count} of the list is null.", nameof(sections));
            results.Add(Score(s.ToDataView(), s.Name ?? $"section {results.Count}"));
        }
        return results;
    }

    /// <summary>Scores named views one after another.</summary>
    public IReadOnlyList<ScoredSection> ScoreAll(IEnumerable<(string Name, IDataView Data)> sections)
    {
        ArgumentNullException.ThrowIfNull(sections);
        return sections.Select(s => Score(s.Data, s.Name)).ToList();
    }

    private void CheckColumns(DataViewSchema schema, string name)
    {
        var missing = RequiredColumns.Where(c => schema.GetColumnOrNull(c) is null).ToArray();
        if (missing.Length == 0) return;
        throw new ArgumentException($"section '{name}' lacks column(s) {string.Join(", ", missing.Select(m => $"'{m}'"))} that the model needs " +
            $"(it reads {string.Join(", ", RequiredColumns)}; the section has {string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => c.Name))}).");
    }

    private static int[] ReadLabels(IDataView output, string column, string name)
    {
        var col = output.Schema.GetColumnOrNull(column)
            ?? throw new InvalidOperationException($"the model's output for section '{name}' has no '{column}' column; " +
                "score with a pipeline that ends in a trainer or clustering head, or set PredictedLabelColumnName.");
        if (col.Type is not KeyDataViewType { RawType: var raw } || raw != typeof(uint))
            throw new InvalidOperationException($"column '{column}' is {col.Type}; a key (UInt32) cluster column was expected.");
        var labels = new int[checked((int)DataViewReader.CountRows(output))];
        using var cursor = output.GetRowCursor(new[] { col });
        var getter = cursor.GetGetter<uint>(col);
        uint v = 0;
        int i = 0;
        while (cursor.MoveNext())
        {
            getter(ref v);
            labels[i++] = (int)v - 1; // key 0 = missing → −1
        }
        return labels;
    }
}
