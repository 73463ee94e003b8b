namespace MsMano.Contracts.Policy;

/// <summary>What one weights chunk did to its snapshot's reassembly.</summary>
public enum ReassemblyStatus
{
    /// <summary>The chunk was stored; the snapshot is not complete yet.</summary>
    Pending,

    /// <summary>The chunk completed its snapshot; <see cref="ReassemblyResult.Snapshot"/> holds the bytes.</summary>
    Completed,

    /// <summary>The chunk was refused; <see cref="ReassemblyResult.Reason"/> says why. State is unchanged.</summary>
    Rejected,
}

/// <summary>What <see cref="PolicyWeightsReassembler.Accept"/> did with one chunk.</summary>
public readonly record struct ReassemblyResult(ReassemblyStatus Status, long Version, byte[]? Snapshot, string? Reason)
{
    public static ReassemblyResult Pending(long version) => new(ReassemblyStatus.Pending, version, null, null);

    public static ReassemblyResult Completed(long version, byte[] snapshot) => new(ReassemblyStatus.Completed, version, snapshot, null);

    public static ReassemblyResult Rejected(long version, string reason) => new(ReassemblyStatus.Rejected, version, null, reason);
}
