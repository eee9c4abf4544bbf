using System.Reflection;
using Microsoft.ML;

namespace MLNetSpatialOmics.TorchSharp.Praga;

/// <summary>
/// Builds <see cref="SchemaShape"/>s from <see cref="DataViewSchema"/>s. ML.NET keeps <c>SchemaShape.Create</c> and
/// <c>SchemaShape.Column</c>'s constructor internal, so this one place reaches <c>Create</c> by reflection.
/// </summary>
internal static class SchemaShapes
{
    private static readonly MethodInfo? CreateMethod = typeof(SchemaShape).GetMethod("Create",
        BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic, new[] { typeof(DataViewSchema) });

    public static SchemaShape FromSchema(DataViewSchema schema)
    {
        if (CreateMethod is null)
            throw new InvalidOperationException("this Microsoft.ML version has no SchemaShape.Create(DataViewSchema); pin Microsoft.ML 5.0.1.");
        return (SchemaShape)CreateMethod.Invoke(null, new object[] { schema })!;
    }

    public static bool Has(SchemaShape shape, string name) => shape.Any(c => c.Name == name);
}
