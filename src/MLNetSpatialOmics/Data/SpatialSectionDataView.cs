using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetSpatialOmics.DataView;
using MLNetSpatialOmics.Numerics;

namespace MLNetSpatialOmics.Data;

/// <summary>
/// A <see cref="SpatialSection"/> as an ML.NET <see cref="IDataView"/> (one row per spot) and back. Columns:
/// <c>SpotId</c> (text), <c>X</c>, <c>Y</c> (float), one <c>vector&lt;float&gt;</c> column per modality named after
/// it, with the feature names as <c>SlotNames</c> (sparse modalities give sparse rows), and <c>Truth</c> (text,
/// empty = unknown) when the section has labels.
/// </summary>
public static class SpatialSectionDataView
{
    public static IDataView ToDataView(this SpatialSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var reserved = new[] { SectionColumns.SpotId, SectionColumns.X, SectionColumns.Y, SectionColumns.Truth };
        var columns = new List<InMemoryColumn>
        {
            InMemoryColumn.Text(SectionColumns.SpotId, section.SpotIds),
            InMemoryColumn.Single(SectionColumns.X, section.X.Select(v => (float)v).ToArray()),
            InMemoryColumn.Single(SectionColumns.Y, section.Y.Select(v => (float)v).ToArray()),
        };
        foreach (var m in section.Modalities)
        {
            if (reserved.Contains(m.Name))
                throw new ArgumentException($"modality '{m.Name}' has the name of a section column ({string.Join(", ", reserved)}); rename the modality.");
            if (m.FeatureCount == 0) throw new ArgumentException($"modality '{m.Name}' has no features; an IDataView vector column needs at least one.");
            columns.Add(m.Sparse is not null
                ? InMemoryColumn.SparseVector(m.Name, m.Sparse, m.FeatureNames)
                : InMemoryColumn.Vector(m.Name, m.Dense!, m.FeatureNames));
        }
        if (section.Truth is not null)
            columns.Add(InMemoryColumn.Text(SectionColumns.Truth, section.Truth.Select(t => t ?? "").ToArray()));
        return new InMemoryDataView(columns);
    }

    /// <summary>ML.NET-style entry point: <c>mlContext.Data.LoadFromSpatialSection(section)</c>.</summary>
    public static IDataView LoadFromSpatialSection(this DataOperationsCatalog catalog, SpatialSection section)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return section.ToDataView();
    }

    /// <summary>
    /// Reads a section back from a view by column names. <paramref name="modalities"/> null = every float/double
    /// vector column that carries slot names (except the trainer outputs Embedding and Score). A modality comes back
    /// sparse when at most half its entries are non-zero, dense otherwise. Truth is read when the column exists
    /// (empty text = unknown).
    /// </summary>
    public static SpatialSection ToSpatialSection(this IDataView view, IEnumerable<string>? modalities = null, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(view);
        var ids = DataViewReader.ReadTextColumn(view, SectionColumns.SpotId);
        var x = DataViewReader.ReadScalarColumn(view, SectionColumns.X);
        var y = DataViewReader.ReadScalarColumn(view, SectionColumns.Y);
        var names = modalities?.ToList() ?? view.Schema
            .Where(c => !c.IsHidden && c.Type is VectorDataViewType { IsKnownSize: true } vt
                && (vt.ItemType == NumberDataViewType.Single || vt.ItemType == NumberDataViewType.Double)
                && c.Name is not (SectionColumns.Embedding or SectionColumns.Score)
                && DataViewReader.ReadSlotNames(c) is not null)
            .Select(c => c.Name).ToList();
        var list = new List<ModalityData>();
        foreach (var m in names)
        {
            var csr = DataViewReader.ReadSparseVectorColumn(view, m);
            var slots = DataViewReader.ReadSlotNames(view, m) ?? Enumerable.Range(0, csr.Cols).Select(i => $"{m}{i}").ToArray();
            bool sparse = csr.NonZeroCount * 2L <= (long)csr.Rows * csr.Cols;
            list.Add(sparse ? new ModalityData(m, slots, csr) : new ModalityData(m, slots, csr.ToDense()));
        }
        string?[]? truth = null;
        if (view.Schema.GetColumnOrNull(SectionColumns.Truth) is not null)
            truth = DataViewReader.ReadTextColumn(view, SectionColumns.Truth).Select(t => t.Length == 0 ? null : t).ToArray();
        return new SpatialSection(ids, x, y, list, truth, name);
    }
}
