using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace MLNetSpatialOmics.Persistence;

/// <summary>
/// Every access to ML.NET internals lives here (ModelSaveContext/ModelLoadContext members, VersionInfo,
/// LoadableClassAttribute, ComponentCatalog registration): ML.NET keeps them internal (dotnet/machinelearning #4911,
/// #2336, #6839). Microsoft.ML is pinned to 5.0.1; if a member moves, the error says which one.
/// </summary>
internal static class MlNetInternals
{
    private const BindingFlags Any = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;

    private static readonly Assembly CoreAssembly = typeof(ModelSaveContext).Assembly;

    private static Type FindType(string fullName) =>
        CoreAssembly.GetType(fullName)
        ?? AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(fullName)).FirstOrDefault(t => t is not null)
        ?? throw Missing($"type {fullName}");

    private static InvalidOperationException Missing(string what) =>
        new($"MLNetSpatialOmics model persistence could not find ML.NET's internal {what}; it supports Microsoft.ML 5.0.1 " +
            $"(loaded: {CoreAssembly.GetName().Version}).");

    private static MethodInfo Method(Type t, string name, params Type[] parameters) =>
        t.GetMethod(name, Any, null, parameters, null) ?? throw Missing($"method {t.Name}.{name}");

    private static readonly Lazy<Type> VersionInfoType = new(() => FindType("Microsoft.ML.VersionInfo"));
    private static readonly Lazy<Type> LoadContextType = new(() => FindType("Microsoft.ML.ModelLoadContext"));

    public static void SetVersionInfo(ModelSaveContext ctx, string modelSignature, uint version, string loaderSignature)
    {
        // The loader assembly name must be set: ML.NET 5's header validation rejects a model entry that has
        // neither strings nor an assembly name (its reader is not moved to the tail in that case).
        var vi = Activator.CreateInstance(VersionInfoType.Value, Any, null,
            new object?[] { modelSignature, version, version, version, typeof(MlNetInternals).Assembly.FullName, loaderSignature, null }, null)
            ?? throw Missing("VersionInfo constructor");
        Method(typeof(ModelSaveContext), "CheckAtModel").Invoke(ctx, null);
        Method(typeof(ModelSaveContext), "SetVersionInfo", VersionInfoType.Value).Invoke(ctx, new[] { vi });
    }

    public static BinaryWriter Writer(ModelSaveContext ctx) =>
        (BinaryWriter)(typeof(ModelSaveContext).GetField("Writer", Any)?.GetValue(ctx) ?? throw Missing("ModelSaveContext.Writer"));

    public static bool InRepository(ModelSaveContext ctx) =>
        (bool)(typeof(ModelSaveContext).GetProperty("InRepository", Any)?.GetValue(ctx) ?? throw Missing("ModelSaveContext.InRepository"));

    public static void SaveBinaryStream(ModelSaveContext ctx, string name, Action<BinaryWriter> action) =>
        Method(typeof(ModelSaveContext), "SaveBinaryStream", typeof(string), typeof(Action<BinaryWriter>)).Invoke(ctx, new object[] { name, action });

    public static BinaryReader Reader(object loadContext) =>
        (BinaryReader)(LoadContextType.Value.GetField("Reader", Any)?.GetValue(loadContext) ?? throw Missing("ModelLoadContext.Reader"));

    public static bool TryLoadBinaryStream(object loadContext, string name, Action<BinaryReader> action) =>
        (bool)Method(LoadContextType.Value, "TryLoadBinaryStream", typeof(string), typeof(Action<BinaryReader>))
            .Invoke(loadContext, new object[] { name, action })!;

    public static void CheckAtModel(object loadContext) =>
        Method(LoadContextType.Value, "CheckAtModel").Invoke(loadContext, null);

    /// <summary>
    /// Adds a loadable class to the environment's ComponentCatalog: <paramref name="create"/> must be a static
    /// method <c>object M(IHostEnvironment env, object modelLoadContext)</c>.
    /// </summary>
    public static void RegisterLoader(IHostEnvironment env, Type instanceType, Type loaderType, MethodInfo create, string loaderSignature)
    {
        var catalog = env.ComponentCatalog;
        var attrType = FindType("Microsoft.ML.LoadableClassAttribute");
        var sigType = FindType("Microsoft.ML.SignatureLoadModel");
        var attr = Activator.CreateInstance(attrType, Any, null,
            new object?[] { instanceType, loaderType, null, sigType, "MLNetSpatialOmics transformer", new[] { loaderSignature } }, null)
            ?? throw Missing("LoadableClassAttribute constructor");
        var infoType = FindType("Microsoft.ML.Runtime.ComponentCatalog+LoadableClassInfo");
        var info = Activator.CreateInstance(infoType, Any, null,
            new object?[] { attr, null, null, create, true }, null)
            ?? throw Missing("LoadableClassInfo constructor");
        var findByName = typeof(ComponentCatalog).GetMethod("FindLoadableClasses", Any, null, new[] { typeof(string) }, null)
            ?? throw Missing("ComponentCatalog.FindLoadableClasses");
        lock (catalog)
        {
            var existing = (Array)findByName.Invoke(catalog, new object[] { loaderSignature })!;
            if (existing.Length > 0) return;
            Method(typeof(ComponentCatalog), "AddClass", infoType, typeof(string[]), typeof(bool))
                .Invoke(catalog, new[] { info, new[] { loaderSignature }, (object)false });
        }
    }
}
