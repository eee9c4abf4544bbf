using System.Reflection;
using Microsoft.ML;

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
}
