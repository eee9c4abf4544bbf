using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetSpatialOmics.DataView;

/// <summary>
/// Builds <see cref="SchemaShape"/>s for estimators' <c>GetOutputSchema</c>. ML.NET keeps both
/// <c>SchemaShape.Column</c>'s constructor and <c>SchemaShape.Create(DataViewSchema)</c> internal, so the columns an
/// estimator adds are described as an ordinary <see cref="DataViewSchema"/> and converted here (by reflection on the
/// pinned Microsoft.ML 5.0.1, with a clear error if that method ever disappears).
/// </summary>
public static class SchemaShapeFactory
{
    private static readonly Lazy<MethodInfo> CreateMethod = new(() =>
        typeof(SchemaShape).GetMethod("Create", BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic, null, new[] { typeof(DataViewSchema) }, null)
        ?? throw new InvalidOperationException("Microsoft.ML's internal SchemaShape.Create(DataViewSchema) was not found; this Microsoft.ML version is not supported (5.0.1 is)."));

    /// <summary>The shape of <paramref name="schema"/>.</summary>
    public static SchemaShape FromSchema(DataViewSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return (SchemaShape)CreateMethod.Value.Invoke(null, new object[] { schema })!;
    }

    /// <summary><paramref name="input"/> with the columns of <paramref name="added"/> appended (same names replaced).</summary>
    public static SchemaShape Append(SchemaShape input, DataViewSchema added)
    {
        ArgumentNullException.ThrowIfNull(input);
        var addedShape = FromSchema(added);
        var names = new HashSet<string>(addedShape.Select(c => c.Name), StringComparer.Ordinal);
        return new SchemaShape(input.Where(c => !names.Contains(c.Name)).Concat(addedShape));
    }

    /// <summary>Finds a column by name (SchemaShape's own lookup is internal).</summary>
    public static bool TryFind(SchemaShape shape, string name, out SchemaShape.Column column)
    {
        ArgumentNullException.ThrowIfNull(shape);
        foreach (var c in shape)
            if (c.Name == name) { column = c; return true; }
        column = default;
        return false;
    }

    /// <summary>
    /// A representative schema for a shape, so a transformer's schema logic can run on it: known-size vectors get
    /// size 1 (a shape does not record sizes; any known size maps back to the same shape).
    /// </summary>
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
