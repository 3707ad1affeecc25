using InnerEye.Inference.Nnunet.Import;
using InnerEye.Inference.Tests.Support;

namespace InnerEye.Inference.Tests.Nnunet.Import;

public sealed class NnUnetCheckpointTests
{
    [SkippableFact]
    public void TheFixturesCheckpointHoldsItsMirrorAxesTrainerAndConfiguration()
    {
        var checkpoint = NnUnetCheckpoint.Read(Path.Combine(NnUnetFixture.ModelFolder, "fold_0", "checkpoint_final.pth"));

        Assert.True(checkpoint.HasMirroringAxes);
        Assert.Equal([0, 1], checkpoint.MirroringAxes!);
        Assert.Equal("nnUNetTrainer", checkpoint.TrainerName);
        Assert.Equal("3d_fullres", checkpoint.Configuration);
    }

    [SkippableFact]
    public void BothFoldsOfTheFixtureAllowMirroringAlongZAndYOnly()
    {
        var checkpoint = NnUnetCheckpoint.Read(Path.Combine(NnUnetFixture.ModelFolder, "fold_1", "checkpoint_final.pth"));

        Assert.Equal([0, 1], checkpoint.MirroringAxes!);
    }
}
