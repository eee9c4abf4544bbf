namespace MLNetSpatialOmics.Graphs;

/// <summary>Per-point lists of at most <c>capacity</c> point ids in one flat array (O(N·capacity) memory).</summary>
internal sealed class CandidateLists
{
    private readonly int _capacity;
    private readonly int[] _items;
    private readonly int[] _counts;

    public CandidateLists(int n, int capacity)
    {
        _capacity = capacity;
        _items = new int[(long)n * capacity];
        _counts = new int[n];
    }

    public int Count(int i) => _counts[i];
    public ReadOnlySpan<int> Of(int i) => _items.AsSpan(i * _capacity, _counts[i]);
    public bool Has(int i, int j) => Of(i).Contains(j);

    public void Add(int i, int j)
    {
        if (_counts[i] >= _capacity) throw new InvalidOperationException("candidate list overflow.");
        _items[i * _capacity + _counts[i]++] = j;
    }

    /// <summary>
    /// The reverse lists (j lists i when i lists j). Sources are visited in ascending order, so each reverse list is
    /// deterministic; lists longer than the capacity keep a seeded random subset (reservoir sampling).
    /// </summary>
    public CandidateLists Reverse(int seed, int stream)
    {
        int n = _counts.Length;
        var result = new CandidateLists(n, _capacity);
        var seen = new int[n];
        for (int i = 0; i < n; i++)
            foreach (int j in Of(i))
            {
                int t = seen[j]++;
                if (t < _capacity) result._items[j * _capacity + t] = i;
                else
                {
                    var rng = new SplitMix(seed, stream, i * 7919 + j);
                    int r = (int)(rng.Next() % (ulong)(t + 1));
                    if (r < _capacity) result._items[j * _capacity + r] = i;
                }
            }
        for (int j = 0; j < n; j++) result._counts[j] = Math.Min(seen[j], _capacity);
        return result;
    }
}
