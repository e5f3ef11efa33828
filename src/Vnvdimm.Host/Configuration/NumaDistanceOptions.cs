namespace Vnvdimm.Host.Configuration;

/// <summary>-numa dist,src=A,dst=B,val=D: one entry of the NUMA distance table.</summary>
public sealed record NumaDistanceOptions(uint Source, uint Destination, byte Distance)
{
    /// <summary>NUMA_DISTANCE_MIN: a node's distance to itself.</summary>
    public const byte LocalDistance = 10;

    /// <summary>
    /// validate_numa_distance: every pair of nodes needs a distance in at least one direction,
    /// and both directions of every pair once any pair is asymmetric.
    /// </summary>
    public static void Validate(IReadOnlyList<NumaDistanceOptions> distances, int nodeCount)
    {
        var table = new byte[nodeCount, nodeCount];
        foreach (NumaDistanceOptions d in distances)
        {
            table[d.Source, d.Destination] = d.Distance;
        }
        bool asymmetric = false;
        for (int src = 0; src < nodeCount; src++)
        {
            for (int dst = src; dst < nodeCount; dst++)
            {
                if (table[src, dst] == 0 && table[dst, src] == 0 && src != dst)
                {
                    throw new QemuOptionException($"The distance between node {src} and {dst} is missing, at least one distance value between each nodes should be provided.");
                }
                if (table[src, dst] != 0 && table[dst, src] != 0 && table[src, dst] != table[dst, src])
                {
                    asymmetric = true;
                }
            }
        }
        if (!asymmetric)
        {
            return;
        }
        for (int src = 0; src < nodeCount; src++)
        {
            for (int dst = 0; dst < nodeCount; dst++)
            {
                if (src != dst && table[src, dst] == 0)
                {
                    throw new QemuOptionException("At least one asymmetrical pair of distances is given, please provide distances for both directions of all node pairs.");
                }
            }
        }
    }
}
