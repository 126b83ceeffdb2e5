namespace Tuner.Search.Tuners.MultiFidelity;

/// <summary>
/// One successive-halving bracket: it starts <c>Configs[0]</c> new configurations at rung <see cref="StartRung"/>
/// and keeps <c>Configs[i]</c> of them at rung <c>StartRung + i</c>, up to the last rung (full fidelity).
/// </summary>
/// <param name="StartRung">Global rung index (see <see cref="Rungs"/>) where the bracket's new configurations start.</param>
/// <param name="Configs">Configurations per rung from <see cref="StartRung"/> to the last rung; each is the previous one divided by eta, rounded down.</param>
public sealed record BracketPlan(int StartRung, IReadOnlyList<int> Configs)
{
    /// <summary>Rung index of the bracket's last rung.</summary>
    public int EndRung => StartRung + Configs.Count - 1;

    /// <summary>Successive-halving rounds after the first (Li et al.'s <c>s</c>).</summary>
    public int S => Configs.Count - 1;
}
