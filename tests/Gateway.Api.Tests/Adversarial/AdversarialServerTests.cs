using InnerEye.Grains;
using Xunit.Abstractions;

namespace InnerEye.Gateway.Api.Tests.Adversarial;

/// <summary>
/// The real server under hostile uploads (see <see cref="AdversarialRun"/>): no 5xx and no service-fault failure for
/// any input, no result from corrupted data, every intact valid upload segmented, every job ended within a bound, memory
/// back near its baseline, and nothing left in the storage folder that no live job owns.
/// </summary>
[Trait("Category", "Adversarial")]
[Collection(AdversarialCollection.Name)]
public sealed class AdversarialServerTests(AdversarialRun run, ITestOutputHelper output) : IClassFixture<AdversarialRun>
{
    private void Report() => output.WriteLine(run.Summary());

    [SkippableFact]
    public void NoInputGetsA5xxOrAServiceFault()
    {
        Report();
        var violations = new List<string>();
        foreach (var o in run.Outcomes)
        {
            violations.AddRange(o.ServerErrors.Select(e => $"{o.Case.Name} [{o.Route}] {e}"));
            if (o.End == UploadEnd.Failed && !FailureClassifier.IsInputFault(o.ErrorCode)) violations.Add($"{o} (a service-fault code)");
            if (o.End == UploadEnd.Cancelled) violations.Add($"{o} (nobody cancelled it)");
        }
        Violations.AssertNone(output, "No input may get a response ≥ 500 or end as a service fault", violations, run.Outcomes.Count);
    }

    [SkippableFact]
    public void NoCorruptedUploadGivesAResult()
    {
        Report();
        var violations = new List<string>();
        var judged = 0;
        foreach (var o in run.Outcomes)
        {
            switch (o.Case.Expect)
            {
                case Expectation.NeverCompletes:
                    judged++;
                    var inputFailure = o.End == UploadEnd.Refused || (o.End == UploadEnd.Failed && FailureClassifier.IsInputFault(o.ErrorCode));
                    if (!inputFailure) violations.Add($"{o} (must be refused or fail with an input code)");
                    break;
                case Expectation.CompletesOnlyIfLoadable when o.End == UploadEnd.Completed:
                    judged++;
                    var control = LoaderControl.Of(o.Case);
                    if (!control.Accepted) violations.Add($"{o} (the Imaging library itself gives: {control.Outcome})");
                    break;
                case Expectation.CompletesOnlyIfLoadable:
                    judged++;
                    break;
            }
        }
        Violations.AssertNone(output, "No upload with broken integrity, or that the Imaging library cannot read, may give a result",
            violations, judged);
    }

    [SkippableFact]
    public void EveryIntactValidUploadGivesAResult()
    {
        Report();
        var valid = run.Outcomes.Where(o => o.Case.Expect == Expectation.Completes).ToList();
        var violations = valid.Where(o => o.End != UploadEnd.Completed || !o.GotResult).Select(o => o.ToString()).ToList();
        Violations.AssertNone(output, "Every intact upload of a valid series must give a result zip", violations, valid.Count);
    }

    [SkippableFact]
    public void EveryAcceptedJobEndsWithinTheBound()
    {
        Report();
        var accepted = run.Outcomes.Where(o => o.Id is not null).ToList();
        var violations = run.Outcomes
            .Where(o => o.End is UploadEnd.Hung or UploadEnd.Broken || (o.Id is not null && o.Elapsed > AdversarialRun.JobBound))
            .Select(o => o.ToString()).ToList();
        output.WriteLine($"longest job: {accepted.Max(o => o.Elapsed).TotalSeconds:0.0} s ({accepted.MaxBy(o => o.Elapsed)})");
        if (violations.Count > 0)
        {
            // The server's own account of what went wrong (its warnings and errors; no patient data is logged).
            output.WriteLine("--- server warnings and errors ---");
            foreach (var line in run.ServerOutput.Split('\n').Where(l => l.Contains("fail:") || l.Contains("warn:") || l.Contains("Exception"))
                .Take(200))
                output.WriteLine(line);
        }
        Violations.AssertNone(output, $"Every accepted job must end (completed, failed or cancelled) within {AdversarialRun.JobBound.TotalSeconds} s",
            violations,
            accepted.Count);
    }

    [SkippableFact]
    public void ServerMemoryReturnsNearItsBaseline()
    {
        Report();
        var growth = run.FinalRss - run.BaselineRss;
        Assert.True(run.BaselineRss > 0, "no baseline was read");
        Assert.True(growth <= AdversarialRun.MemoryGrowthBound,
            $"The server's RSS grew by {ProcessMemory.Megabytes(growth)} (baseline {ProcessMemory.Megabytes(run.BaselineRss)}, after " +
            "every job ended " +
            $"{ProcessMemory.Megabytes(run.FinalRss)}); the bound is {ProcessMemory.Megabytes(AdversarialRun.MemoryGrowthBound)}.");
    }

    [SkippableFact]
    public void StorageHoldsNothingThatNoLiveJobOwns()
    {
        Report();
        var files = Directory.EnumerateFiles(run.StoragePath, "*", SearchOption.AllDirectories).Count();
        output.WriteLine($"{files} files under the storage folder");
        Violations.AssertNone(output,
            "After every job ended, the storage folder may hold no temporary file, no upload of an ended job and no result of a job " +
            "that did not complete", run.Leftovers, files);
    }
}
