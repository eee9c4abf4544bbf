namespace MLNetSpatialOmics.Graphs;

/// <summary>
/// Random-projection trees (each split: the hyperplane halfway between two random points of the node). Points
/// that share a leaf are likely close; brute force inside the leaves gives NN-descent a good start graph.
/// </summary>
internal static class RandomProjectionForest
{
    /// <summary>The leaves of one tree, as a permutation of 0..n−1 and leaf boundaries in it.</summary>
    public static (int[] Perm, List<(int Start, int End)> Leaves) BuildTree(SinglePrecisionRows p, int[] points, int leafSize, int seed, int tree)
    {
        var perm = (int[])points.Clone();
        var leaves = new List<(int, int)>();
        var rng = new SplitMix(seed, 1_000_000 + tree, 0);
        var stack = new Stack<(int Start, int End)>();
        stack.Push((0, perm.Length));
        var normal = new double[p.Stride];
        var side = new bool[perm.Length];
        var tmp = new int[perm.Length];
        while (stack.Count > 0)
        {
            var (s, e) = stack.Pop();
            int size = e - s;
            if (size <= leafSize) { leaves.Add((s, e)); continue; }
            int a = perm[s + rng.Below(size)], b = perm[s + rng.Below(size)];
            for (int tries = 0; tries < 8 && a == b; tries++) b = perm[s + rng.Below(size)];
            var ra = p.Row(a);
            var rb = p.Row(b);
            double offset = 0;
            for (int j = 0; j < normal.Length; j++)
            {
                normal[j] = ra[j] - rb[j];
                offset += normal[j] * (ra[j] + rb[j]) * 0.5;
            }
            int left = 0;
            for (int q = s; q < e; q++)
            {
                var r = p.Row(perm[q]);
                double dot = 0;
                for (int j = 0; j < normal.Length; j++) dot += normal[j] * r[j];
                bool isLeft = dot < offset || (dot == offset && (rng.Next() & 1) == 0);
                side[q - s] = isLeft;
                if (isLeft) left++;
            }
            int mid;
            if (left == 0 || left == size)
                mid = s + size / 2;   // identical points (or a degenerate cut): split arbitrarily
            else
            {
                // Stable partition by side keeps the tree a function of the seed only.
                int l = 0, r = left;
                for (int q = 0; q < size; q++) tmp[side[q] ? l++ : r++] = perm[s + q];
                tmp.AsSpan(0, size).CopyTo(perm.AsSpan(s, size));
                mid = s + left;
            }
            stack.Push((mid, e));
            stack.Push((s, mid));
        }
        return (perm, leaves);
    }
}
