namespace InnerEye.Inference;

/// <summary>
/// Clean-up of a label volume, structure by structure, with 26-connected components: keep only the largest component
/// (the first found on equal sizes) and/or drop components smaller than a minimum number of voxels. Removed voxels
/// become background. Iterative flood fill with an explicit queue: O(voxels), no recursion.
/// </summary>
public static class PostProcessing
{
    /// <summary>Applies <paramref name="config"/> to every label 1..<paramref name="structureCount"/> in place.</summary>
    public static void Apply(byte[] labels, int sizeX, int sizeY, int sizeZ, int structureCount, PostprocessingConfig config,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(config);
        if (labels.LongLength != (long)sizeX * sizeY * sizeZ) throw new ArgumentException("The label array does not match the grid.", nameof(labels));
        if (!config.LargestComponent && config.MinimumSizeVoxels <= 1) return;

        var components = new List<(byte Label, int Seed, int Size)>();
        var visited = new System.Collections.BitArray(labels.Length);
        var queue = new IntQueue();
        for (var v = 0; v < labels.Length; v++)
        {
            var label = labels[v];
            if (label == 0 || label > structureCount || visited[v]) continue;
            if ((v & 0xFFFF) == 0) cancellationToken.ThrowIfCancellationRequested();
            var size = Flood(labels, sizeX, sizeY, sizeZ, v, label, queue, index =>
            {
                if (visited[index]) return false;
                visited[index] = true;
                return true;
            });
            components.Add((label, v, size));
        }

        var largest = new Dictionary<byte, int>();
        for (var c = 0; c < components.Count; c++)
        {
            var (label, _, size) = components[c];
            if (!largest.TryGetValue(label, out var best) || size > components[best].Size) largest[label] = c;
        }
        for (var c = 0; c < components.Count; c++)
        {
            var (label, seed, size) = components[c];
            var remove = (config.LargestComponent && largest[label] != c) || size < config.MinimumSizeVoxels;
            if (!remove) continue;
            cancellationToken.ThrowIfCancellationRequested();
            // Clearing a voxel marks it as done, so the second flood needs no visited set.
            Flood(labels, sizeX, sizeY, sizeZ, seed, label, queue, index =>
            {
                if (labels[index] != label) return false;
                labels[index] = 0;
                return true;
            });
        }
    }

    /// <summary>
    /// Visits the 26-connected component of <paramref name="label"/> around <paramref name="seed"/>; <paramref name="claim"/>
    /// returns true the first time it sees a voxel. Returns the component's size.
    /// </summary>
    private static int Flood(byte[] labels, int nx, int ny, int nz, int seed, byte label, IntQueue queue, Func<int, bool> claim)
    {
        queue.Clear();
        claim(seed);
        queue.Enqueue(seed);
        var size = 0;
        var slice = nx * ny;
        while (queue.TryDequeue(out var v))
        {
            size++;
            int z = v / slice, rest = v - z * slice, y = rest / nx, x = rest - y * nx;
            for (var dz = -1; dz <= 1; dz++)
            {
                var zz = z + dz;
                if ((uint)zz >= (uint)nz) continue;
                for (var dy = -1; dy <= 1; dy++)
                {
                    var yy = y + dy;
                    if ((uint)yy >= (uint)ny) continue;
                    for (var dx = -1; dx <= 1; dx++)
                    {
                        var xx = x + dx;
                        if ((uint)xx >= (uint)nx) continue;
                        var n = zz * slice + yy * nx + xx;
                        if (labels[n] == label && claim(n)) queue.Enqueue(n);
                    }
                }
            }
        }
        return size;
    }

    /// <summary>A growable FIFO of voxel indices, reused across floods.</summary>
    private sealed class IntQueue
    {
        private int[] _items = new int[1024];
        private int _head;
        private int _tail;

        public void Clear() => _head = _tail = 0;

        public void Enqueue(int v)
        {
            if (_tail == _items.Length)
            {
                if (_head > 0)
                {
                    Array.Copy(_items, _head, _items, 0, _tail - _head);
                    _tail -= _head;
                    _head = 0;
                }
                if (_tail == _items.Length) Array.Resize(ref _items, _items.Length * 2);
            }
            _items[_tail++] = v;
        }

        public bool TryDequeue(out int v)
        {
            if (_head == _tail)
            {
                v = 0;
                return false;
            }
            v = _items[_head++];
            return true;
        }
    }
}
