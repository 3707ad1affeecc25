using InnerEye.Cluster.Simulation;
using InnerEye.Inference;

// Scale by simulation: N PassThroughModel jobs on a small phantom through an in-process cluster (GPU-role silos hold the
// model replicas, the others the job grains; job state and reminders on local disk), optionally killing a random silo
// every interval. Prints throughput per tenth of the run, jobs lost, memory, and what is left after retention.
SimulationOptions options;
try
{
    options = SimulationOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

var root = Directory.CreateTempSubdirectory("innereye-sim-").FullName;
try
{
    var models = ModelsFolder.Find(null) ?? throw new DirectoryNotFoundException("No models/ folder above the working directory.");
    var simulationModels = Directory.CreateDirectory(Path.Combine(root, "models")).FullName;
    foreach (var file in new[] { "PassThroughModel.json", "PassThroughModel.onnx" })
        File.Copy(Path.Combine(models, file), Path.Combine(simulationModels, file));
    var upload = PhantomUpload.Make(options, Path.Combine(root, "phantom"));

    var ledger = new JobLedger(options.Jobs);
    var store = new ResultCountingStore(Path.Combine(root, "artifacts"), ledger);
    Console.WriteLine((
        $"{options.Jobs} PassThroughModel jobs ({options.Rows}×{options.Columns}×{options.Slices} phantom, {upload.Length / 1024.0:0.0} KB zip), " +
        $"{options.Silos} in-process silos ({options.GpuSilos} gpu, {options.Silos - options.GpuSilos} cpu), {options.InFlight} in flight, " +
        $"retention {options.RetentionPeriod.TotalMinutes:0.#} min, redrive {options.RedriveInterval.TotalMinutes:0.#} min, " +
        $"{(options.KillEvery is { } k ? $"a random silo killed every {k.TotalSeconds:0} s" : "no kills")}; {Environment.ProcessorCount} cores; " +
        $"state in {root}"));

    await using var cluster = await SimulatedCluster.StartAsync(options, root, simulationModels, store);
    var monitor = new ClusterMonitor(cluster, ledger);
    var driver = new JobDriver(options, cluster.Client, store, ledger, upload);
    var killer = options.KillEvery is { } every ? new SiloKiller(cluster, ledger, every, options.Seed) : null;
    using var stop = new CancellationTokenSource();
    ledger.Start();
    var monitoring = monitor.RunAsync(stop.Token);
    var killing = killer?.RunAsync(stop.Token) ?? Task.CompletedTask;
    var progress = Task.Run(async () =>
    {
        while (!stop.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromSeconds(30), stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            if (!stop.IsCancellationRequested) Console.WriteLine(($"  {ledger.Now,7:0.0} s  {ledger.Ended} of {options.Jobs} jobs ended"));
        }
    });
    await driver.RunAsync();
    stop.Cancel();
    await Task.WhenAll(monitoring, killing, progress);
    Console.WriteLine(($"  {ledger.Now,7:0.0} s  all {options.Jobs} jobs ended; waiting for retention"));
    var retention = await RetentionCheck.WaitAsync(cluster, ledger, options);
    Report.Print(options, ledger, monitor, driver, killer, cluster, retention);
    return ledger.Lost == 0 ? 0 : 1;
}
finally
{
    Directory.Delete(root, recursive: true);
}
