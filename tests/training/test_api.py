import gankit.models
import gankit.training


def test_public_names_are_pinned():
    assert sorted(gankit.training.__all__) == [
        "ClassSampleGrid",
        "DiscriminatorAccuracyReport",
        "DivergenceError",
        "FadeInScheduler",
        "GAN",
        "GANLearningRateScheduler",
        "GeneratorCheckpoint",
        "LossPlot",
        "ProgressiveGAN",
        "ProgressiveSampleGrid",
        "ProgressiveStage",
        "SampleGrid",
        "StopOnDivergence",
        "TensorBoardScalars",
        "TrainingBackup",
        "TrainingGif",
        "TranslationGrid",
        "callbacks",
        "cosine_decay",
        "fade_alpha",
    ]
    assert gankit.training.GAN is gankit.models.GAN


def test_models_public_names_are_pinned():
    assert sorted(gankit.models.__all__) == [
        "ClassProjection",
        "ConditionalGAN",
        "CycleGAN",
        "DCGAN_PRESETS",
        "DCGAN_PRESET_NAMES",
        "GAN",
        "LATENT_DISTRIBUTIONS",
        "LinearDecaySchedule",
        "ProgressiveNetworks",
        "RealFakeFromClassLogits",
        "ReflectionPadding2D",
        "SemiSupervisedGAN",
        "build_cgan",
        "build_cgan_discriminator",
        "build_cgan_generator",
        "build_cyclegan",
        "build_dcgan",
        "build_dcgan_discriminator",
        "build_dcgan_generator",
        "build_patch_discriminator",
        "build_progan",
        "build_resnet_generator",
        "build_sgan",
        "build_sgan_generator",
        "build_sgan_trunk",
        "build_unet_generator",
        "classifier_accuracy",
        "dcgan_preset",
        "set_fade_alpha",
        "sgan_dataset",
        "train_supervised_baseline",
    ]
