import gankit.models
import gankit.training


def test_public_names_are_pinned():
    assert sorted(gankit.training.__all__) == [
        "DiscriminatorAccuracyReport",
        "GAN",
        "GANLearningRateScheduler",
        "GeneratorCheckpoint",
        "LossPlot",
        "SampleGrid",
        "TensorBoardScalars",
        "TrainingGif",
        "callbacks",
        "cosine_decay",
    ]
    assert gankit.training.GAN is gankit.models.GAN


def test_models_public_names_are_pinned():
    assert sorted(gankit.models.__all__) == [
        "DCGAN_PRESETS",
        "DCGAN_PRESET_NAMES",
        "GAN",
        "LATENT_DISTRIBUTIONS",
        "build_dcgan",
        "build_dcgan_discriminator",
        "build_dcgan_generator",
        "dcgan_preset",
    ]
