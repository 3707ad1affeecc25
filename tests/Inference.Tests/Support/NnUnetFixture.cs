using InnerEye.Imaging.Tests.Support;

namespace InnerEye.Inference.Tests.Support;

/// <summary>
/// The nnU-Net v2 conformance fixture (model, cases, nnU-Net's own outputs), kept beside the repository as
/// <c>../shared/nnunet</c>. Where it is missing the test is reported Skipped with the reason; with CI=true it fails.
/// </summary>
public static class NnUnetFixture
{
    public static string Root
    {
        get
        {
            var root = Path.GetFullPath(Path.Combine(ExternalProcess.RepositoryRoot, "..", "shared", "nnunet"));
            if (File.Exists(Path.Combine(root, "Dataset501_ThoraxPhantom", "nnUNetTrainer__nnUNetPlans__3d_fullres", "plans.json"))) return root;
            var message = $"*** NNU-NET FIXTURE MISSING: {root} (../shared/nnunet beside the repository) does not hold the trained model " +
                "Dataset501_ThoraxPhantom/nnUNetTrainer__nnUNetPlans__3d_fullres. This test did not run. ***";
            if (ExternalProcess.InCI) throw new InvalidOperationException(message);
            Console.Error.WriteLine(message);
            throw new SkipException(message);
        }
    }

    /// <summary>The trained model folder (plans, dataset, folds), as nnU-Net writes it.</summary>
    public static string ModelFolder => Path.Combine(Root, "Dataset501_ThoraxPhantom", "nnUNetTrainer__nnUNetPlans__3d_fullres");

    /// <summary>A file of the fixture by its path relative to the fixture's root, e.g. "spec/resampling_examples.npz".</summary>
    public static string PathOf(string relative)
    {
        var path = Path.Combine(Root, relative);
        return File.Exists(path) ? path : throw new FileNotFoundException($"The nnU-Net fixture has no {relative}.", path);
    }
}
