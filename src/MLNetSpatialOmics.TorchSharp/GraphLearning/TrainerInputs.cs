using Microsoft.ML;
using MLNetSpatialOmics.DataView;
using MLNetSpatialOmics.Numerics;

namespace MLNetSpatialOmics.TorchSharp.GraphLearning;

/// <summary>Reads and checks what every graph trainer needs from a section: coordinates and preprocessed modality columns.</summary>
internal static class TrainerInputs
{
    /// <summary>Refuses a schema that lacks one of <paramref name="columns"/>, naming it and the method.</summary>
    public static void RequireColumns(SchemaShape inputSchema, IEnumerable<string> columns, string method)
    {
        foreach (var name in columns)
            if (!SchemaShapeFactory.TryFind(inputSchema, name, out _))
                throw new ArgumentException($"{method} needs input column '{name}'; the input has: {string.Join(", ", inputSchema.Select(c => c.Name))}.");
    }

    public static (DenseMatrix Coordinates, DenseMatrix[] Modalities, string[]?[] SlotNames) Read(IDataView input,
        string xColumn, string yColumn, IReadOnlyList<string> modalityColumns, string method)
    {
        ArgumentNullException.ThrowIfNull(input);
        var x = DataViewReader.ReadScalarColumn(input, xColumn);
        var y = DataViewReader.ReadScalarColumn(input, yColumn);
        var coordinates = new DenseMatrix(x.Length, 2);
        for (int i = 0; i < x.Length; i++)
        {
            if (!double.IsFinite(x[i]) || !double.IsFinite(y[i]))
                throw new ArgumentException($"spot {i} has a non-finite coordinate ({xColumn}={x[i]}, {yColumn}={y[i]}).");
            coordinates[i, 0] = x[i];
            coordinates[i, 1] = y[i];
        }
        var modalities = new DenseMatrix[modalityColumns.Count];
        var slots = new string[]?[modalities.Length];
        for (int m = 0; m < modalities.Length; m++)
        {
            var name = modalityColumns[m];
            modalities[m] = DataViewReader.ReadVectorColumn(input, name);
            slots[m] = DataViewReader.ReadSlotNames(input, name);
            foreach (var v in modalities[m].Data)
                if (!double.IsFinite(v))
                    throw new ArgumentException($"modality column '{name}' contains a non-finite value; preprocess (normalise, PCA/LSI) before {method}.");
        }
        return (coordinates, modalities, slots);
    }
}
