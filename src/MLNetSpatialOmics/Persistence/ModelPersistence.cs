using System.Collections.Concurrent;
using System.Reflection;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace MLNetSpatialOmics.Persistence;

/// <summary>
/// Saves <see cref="IPersistableTransformer"/>s into ML.NET model zips and loads them back.
/// <para>Saving needs nothing from the user. Loading needs the library's loader in the <see cref="MLContext"/>'s
/// component catalog: call <see cref="Register"/> once per MLContext before <c>mlContext.Model.Load</c>
/// (the library's catalog extension methods call it too, and <see cref="Load(MLContext, string, out DataViewSchema)"/>
/// does it for you).</para>
/// Zip layout of one transformer: ML.NET's header + our header in <c>Model.key</c>; the state in <c>State.bin</c>;
/// every array over 64 KiB in its own <c>TensorNNNN.bin</c> entry.
/// </summary>
public static class ModelPersistence
{
    /// <summary>ML.NET loader signature under which every transformer of this library is registered.</summary>
    public const string LoaderSignature = "MLNetSpatialOmicsXf"; // ML.NET allows at most 24 characters
    private const string ModelSignature = "SPOMICS ";
    private const string Magic = "MLNetSpatialOmics";
    private const string StateEntry = "State.bin";

    /// <summary>Version of the on-zip format. Bump when the header or the state encoding changes.</summary>
    public const int FormatVersion = 1;

    public static string LibraryVersion { get; } =
        typeof(ModelPersistence).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(ModelPersistence).Assembly.GetName().Version?.ToString() ?? "unknown";

    /// <summary>Makes <paramref name="context"/> able to load this library's transformers. Idempotent and cheap.</summary>
    public static void Register(MLContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var create = typeof(ModelPersistence).GetMethod(nameof(CreateFromContext), BindingFlags.NonPublic | BindingFlags.Static)!;
        MlNetInternals.RegisterLoader(context, typeof(IPersistableTransformer), typeof(ModelPersistence), create, LoaderSignature);
    }

    /// <summary>Registers the loader, then loads a model zip; errors name the file.</summary>
    public static ITransformer Load(MLContext context, string path, out DataViewSchema inputSchema)
    {
        Register(context);
        if (!File.Exists(path)) throw new FileNotFoundException($"model file '{path}' does not exist.", path);
        try
        {
            return context.Model.Load(path, out inputSchema);
        }
        catch (Exception e)
        {
            // ML.NET wraps a loader's exception ("Error during class instantiation"); report the reason we gave.
            var ours = Causes(e).FirstOrDefault(x => x is ModelFormatException or InvalidDataException);
            throw new ModelFormatException(ours is not null
                ? $"'{path}': {ours.Message}"
                : $"'{path}' is not a readable ML.NET model zip: {Unwrap(e).Message}", e);
        }
    }

    private static IEnumerable<Exception> Causes(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException) yield return x;
    }

    private static Exception Unwrap(Exception e) => e is TargetInvocationException { InnerException: { } inner } ? Unwrap(inner) : e;

    public static void Save(ModelSaveContext context, IPersistableTransformer transformer)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(transformer);
        var attr = transformer.GetType().GetCustomAttribute<PersistableTransformerAttribute>()
            ?? throw new InvalidOperationException($"{transformer.GetType().FullName} lacks [PersistableTransformer]; it cannot be saved.");
        if (!MlNetInternals.InRepository(context))
            throw new InvalidOperationException("MLNetSpatialOmics transformers save into model zips (mlContext.Model.Save), not bare streams.");

        MlNetInternals.SetVersionInfo(context, ModelSignature, FormatVersion, LoaderSignature);
        var state = new ModelStateWriter();
        transformer.SaveState(state);

        var w = MlNetInternals.Writer(context);
        w.Write(Magic);
        w.Write(FormatVersion);
        w.Write(LibraryVersion);
        w.Write(attr.Signature);
        w.Write(attr.Version);
        w.Write(transformer.GetType().Assembly.GetName().Name ?? "");

        ModelStateWriter.ResetExternalCounter();
        using var ms = new MemoryStream();
        using (var sw = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true))
            state.WriteTo(sw, (name, bytes) => MlNetInternals.SaveBinaryStream(context, name, bw => bw.Write(bytes)), "");
        var main = ms.ToArray();
        MlNetInternals.SaveBinaryStream(context, StateEntry, bw => { bw.Write(main.LongLength); bw.Write(main); });
    }

    /// <summary>Called by ML.NET's ComponentCatalog (SignatureLoadModel) with the environment and a ModelLoadContext.</summary>
    private static object CreateFromContext(IHostEnvironment env, object loadContext)
    {
        try
        {
            return CreateFromContextCore(env, loadContext);
        }
        catch (Exception e) when (e is not ModelFormatException)
        {
            throw new ModelFormatException($"the model entry is corrupted or was written by an incompatible version: {Unwrap(e).Message}", e);
        }
    }

    private static object CreateFromContextCore(IHostEnvironment env, object loadContext)
    {
        MlNetInternals.CheckAtModel(loadContext);
        var r = MlNetInternals.Reader(loadContext);
        string magic;
        int format;
        string writtenBy, signature, assemblyName;
        int stateVersion;
        try
        {
            magic = r.ReadString();
            format = r.ReadInt32();
            writtenBy = r.ReadString();
            signature = r.ReadString();
            stateVersion = r.ReadInt32();
            assemblyName = r.ReadString();
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or FormatException)
        {
            throw new ModelFormatException("the model's MLNetSpatialOmics header is truncated or corrupted.", e);
        }
        if (magic != Magic) throw new ModelFormatException($"the model entry is not an MLNetSpatialOmics transformer (header '{magic}').");
        if (format > FormatVersion)
            throw new ModelFormatException($"the model was written by MLNetSpatialOmics {writtenBy} in format {format}; " +
                $"this library ({LibraryVersion}) reads formats up to {FormatVersion}. Upgrade MLNetSpatialOmics to load it.");

        var type = TransformerTypes.Value.GetValueOrDefault(signature) ?? LoadDeclaringAssembly(assemblyName, signature)
            ?? throw new ModelFormatException($"the model contains a transformer '{signature}' (written by MLNetSpatialOmics {writtenBy}) " +
                "that this version does not know.");
        var attr = type.GetCustomAttribute<PersistableTransformerAttribute>()!;
        if (stateVersion > attr.Version)
            throw new ModelFormatException($"transformer '{signature}' was saved in state version {stateVersion} by MLNetSpatialOmics {writtenBy}; " +
                $"this library reads up to version {attr.Version}. Upgrade MLNetSpatialOmics to load it.");

        byte[]? main = null;
        if (!MlNetInternals.TryLoadBinaryStream(loadContext, StateEntry, br =>
            {
                long n = br.ReadInt64();
                if (n < 0 || n > br.BaseStream.Length) throw new InvalidDataException($"{StateEntry} declares {n} bytes.");
                main = br.ReadBytes((int)n);
                if (main.Length != n) throw new EndOfStreamException($"{StateEntry} is truncated.");
            }) || main is null)
            throw new ModelFormatException($"transformer '{signature}' has no {StateEntry} entry in the model zip.");

        var reader = ModelStateReader.FromBytes(main, $"state of '{signature}'", name =>
        {
            byte[]? bytes = null;
            if (!MlNetInternals.TryLoadBinaryStream(loadContext, name, br => bytes = br.ReadBytes((int)br.BaseStream.Length)) || bytes is null)
                throw new InvalidDataException($"tensor entry '{name}' is missing from the model zip.");
            return bytes;
        });

        var load = type.GetMethod("LoadState", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static, null,
            new[] { typeof(MLContext), typeof(ModelStateReader) }, null)
            ?? throw new InvalidOperationException($"{type.FullName} has no static LoadState(MLContext, ModelStateReader).");
        var context = env as MLContext ?? new MLContext();
        Register(context);
        try
        {
            return load.Invoke(null, new object[] { context, reader })!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw new ModelFormatException($"transformer '{signature}' could not be restored: {e.InnerException.Message}", e.InnerException);
        }
    }

    /// <summary>A transformer's assembly may not be loaded yet (e.g. the trainers' library in a scoring process).</summary>
    private static Type? LoadDeclaringAssembly(string assemblyName, string signature)
    {
        if (string.IsNullOrEmpty(assemblyName)) return null;
        try
        {
            Scan(Assembly.Load(new AssemblyName(assemblyName)), TransformerTypes.Value);
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            throw new ModelFormatException($"the model needs assembly '{assemblyName}' for transformer '{signature}', which could not be loaded " +
                $"({e.Message}). Reference the package that provides it.", e);
        }
        return TransformerTypes.Value.GetValueOrDefault(signature);
    }

    private static readonly Lazy<ConcurrentDictionary<string, Type>> TransformerTypes = new(() =>
    {
        var map = new ConcurrentDictionary<string, Type>(StringComparer.Ordinal);
        AppDomain.CurrentDomain.AssemblyLoad += (_, e) => Scan(e.LoadedAssembly, map);
        foreach (var a in AppDomain.CurrentDomain.GetAssemblies()) Scan(a, map);
        return map;
    });

    private static void Scan(Assembly assembly, ConcurrentDictionary<string, Type> map)
    {
        if (assembly.IsDynamic || !ReferencesUs(assembly)) return;
        Type?[] types;
        try { types = assembly.GetTypes(); }
        catch (ReflectionTypeLoadException e) { types = e.Types; }
        foreach (var t in types)
        {
            var attr = t?.GetCustomAttribute<PersistableTransformerAttribute>();
            if (t is null || attr is null) continue;
            if (!map.TryAdd(attr.Signature, t) && map[attr.Signature] != t)
                throw new InvalidOperationException($"two transformers claim signature '{attr.Signature}': {map[attr.Signature].FullName} and {t.FullName}.");
        }
    }

    private static bool ReferencesUs(Assembly assembly)
    {
        var us = typeof(ModelPersistence).Assembly;
        if (assembly == us) return true;
        string name = us.GetName().Name!;
        return assembly.GetReferencedAssemblies().Any(r => r.Name == name);
    }
}

/// <summary>A model zip (or an entry in it) that this library cannot read; the message says why.</summary>
public sealed class ModelFormatException : Exception
{
    public ModelFormatException(string message) : base(message) { }
    public ModelFormatException(string message, Exception inner) : base(message, inner) { }
}
