using InnerEye.Imaging.Tests.Support;

namespace InnerEye.Inference.Tests.Support;

/// <summary>
/// The nnU-Net v2 conformance fixture, <c>../shared/nnunet</c> beside the repository. Where it is missing the test is
/// reported Skipped with the reason; with CI=true a missing fixture fails the test.
/// </summary>
public static class NnUnetFixtureFolder
{
    /// <summary>The fixture's root folder (README.md, cases/, the trained model).</summary>
    public static string Root
    {
        get
        {
            var root = Path.GetFullPath(Path.Combine(ExternalProcess.RepositoryRoot, "..", "shared", "nnunet"));
            if (File.Exists(Path.Combine(root, "Dataset501_ThoraxPhantom", "nnUNetTrainer__nnUNetPlans__3d_fullres", "plans.json"))) return root;
            var message = $"*** nnU-Net FIXTURE MISSING: {root} (../shared/nnunet beside the repository) does not hold the trained model " +
                "Dataset501_ThoraxPhantom/nnUNetTrainer__nnUNetPlans__3d_fullres. This test did not run. ***";
            if (ExternalProcess.InCI) throw new InvalidOperationException(message);
            Console.Error.WriteLine(message);
            throw new SkipException(message);
        }
    }

    /// <summary>The trained model folder: plans.json, dataset.json, fold_0/ and fold_1/.</summary>
    public static string TrainedModel => Path.Combine(Root, "Dataset501_ThoraxPhantom", "nnUNetTrainer__nnUNetPlans__3d_fullres");
}
