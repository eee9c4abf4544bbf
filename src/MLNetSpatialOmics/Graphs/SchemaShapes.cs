using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetSpatialOmics.Graphs;

/// <summary>
/// ML.NET 5.0.1 keeps both <c>SchemaShape.Column</c>'s constructor and <c>SchemaShape.Create(DataViewSchema)</c>
/// internal, so an estimator's output shape is derived by turning the input shape into a representative
/// <see cref="DataViewSchema"/>, running the transformer's schema logic on it, and reading it back through
/// <c>SchemaShape.Create</c>, reached by reflection here and nowhere else. Known-size vectors get size 1 (a
/// shape does not record sizes; any known size maps back to the same shape).
/// </summary>
internal static class SchemaShapes
{
    private static readonly Lazy<Func<DataViewSchema, SchemaShape>> CreateShape = new(() =>
    {
        var method = typeof(SchemaShape).GetMethod("Create",
            System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic,
            new[] { typeof(DataViewSchema) });
        if (method is null || method.ReturnType != typeof(SchemaShape))
            throw new InvalidOperationException("Microsoft.ML's SchemaShape.Create(DataViewSchema) was not found; " +
                "MLNetSpatialOmics is built against Microsoft.ML 5.0.1 — use that version.");
        return method.CreateDelegate<Func<DataViewSchema, SchemaShape>>();
    });

    public static SchemaShape FromSchema(DataViewSchema schema) => CreateShape.Value(schema);

    public static DataViewSchema ToSchema(SchemaShape shape)
    {
        var builder = new DataViewSchema.Builder();
        foreach (var col in shape)
        {
            var item = col.ItemType as PrimitiveDataViewType
                ?? throw new ArgumentException($"input column '{col.Name}' has item type {col.ItemType}, which a schema shape cannot carry.");
            DataViewType type = col.Kind switch
            {
                SchemaShape.Column.VectorKind.Scalar => item,
                SchemaShape.Column.VectorKind.Vector => new VectorDataViewType(item, 1),
                _ => new VectorDataViewType(item),
            };
            var annotations = new DataViewSchema.Annotations.Builder();
            foreach (var a in col.Annotations)
            {
                if (a.ItemType is not TextDataViewType) continue;
                ValueGetter<VBuffer<ReadOnlyMemory<char>>> getter = (ref VBuffer<ReadOnlyMemory<char>> dst) =>
                    dst = new VBuffer<ReadOnlyMemory<char>>(1, new[] { ReadOnlyMemory<char>.Empty });
                annotations.Add(a.Name, new VectorDataViewType(TextDataViewType.Instance, 1), getter);
            }
            builder.AddColumn(col.Name, type, annotations.ToAnnotations());
        }
        return builder.ToSchema();
    }
}
