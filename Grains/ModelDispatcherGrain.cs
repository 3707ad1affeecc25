using Microsoft.Extensions.Logging;

namespace InnerEye.Grains;

/// <summary>
/// One per model: reads the replicas' loads at most once a <see cref="RefreshInterval"/> and adds the jobs it has
/// handed out since, so that a burst of submissions is spread evenly (each job's own load query would see every replica
/// idle). Calls are served one at a time. Holds no state worth keeping: a new activation starts from fresh loads.
/// </summary>
[JobPlacementFilter]
public sealed partial class ModelDispatcherGrain(ILogger<ModelDispatcherGrain> logger) : Grain, IModelDispatcherGrain
{
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LoadTimeout = TimeSpan.FromSeconds(10);
    private int[] _loads = [];
    private int[] _handedOut = [];
    private DateTime _refreshed;

    public async Task<int> ChooseReplica(int replicas)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(replicas, 1);
        if (replicas == 1) return 0;
        if (_loads.Length != replicas || DateTime.UtcNow - _refreshed > RefreshInterval) await RefreshAsync(replicas);
        var best = 0;
        for (var i = 1; i < replicas; i++)
        {
            if ((long)_loads[i] + _handedOut[i] < (long)_loads[best] + _handedOut[best]) best = i;
        }
        _handedOut[best]++;
        return best;
    }

    private async Task RefreshAsync(int replicas)
    {
        var model = this.GetPrimaryKeyString();
        _loads = await Task.WhenAll(Enumerable.Range(0, replicas).Select(async i =>
        {
            try
            {
                return (await GrainFactory.GetGrain<IModelGrain>($"{model}/{i}").GetLoad().WaitAsync(LoadTimeout)).Total;
            }
            catch (Exception e)
            {
                LogNoLoad(logger, i, model, e.Message);
                return int.MaxValue / 2; // unreachable: last choice
            }
        }));
        _handedOut = new int[replicas];
        _refreshed = DateTime.UtcNow;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Replica {Replica} of {Model} did not report its load: {Error}")]
    private static partial void LogNoLoad(ILogger logger, int replica, string model, string error);
}
