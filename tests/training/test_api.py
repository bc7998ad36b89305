import pytest

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
        "LinearDecaySchedule",
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
        "schedules",
        "train_supervised_baseline",
    ]
    assert gankit.training.GAN is gankit.models.GAN
    assert gankit.training.ProgressiveStage is gankit.models.ProgressiveStage


def test_linear_decay_schedule_moved_to_training_still_imports_with_a_warning():
    with pytest.warns(DeprecationWarning, match="gankit.training.LinearDecaySchedule"):
        moved = gankit.models.LinearDecaySchedule
    assert moved is gankit.training.LinearDecaySchedule is gankit.training.schedules.LinearDecaySchedule


@pytest.mark.parametrize("name", ["ClassProjection", "RealFakeFromClassLogits", "ReflectionPadding2D"])
def test_layers_moved_out_of_models_still_import_with_a_warning(name):
    import gankit.layers

    with pytest.warns(DeprecationWarning, match=f"gankit.layers.{name}"):
        moved = getattr(gankit.models, name)
    assert moved is getattr(gankit.layers, name)


def test_models_public_names_are_pinned():
    assert sorted(gankit.models.__all__) == [
        "ConditionalGAN",
        "CycleGAN",
        "DCGAN_PRESETS",
        "DCGAN_PRESET_NAMES",
        "DISCRIMINATOR_OUTPUTS",
        "GAN",
        "LATENT_DISTRIBUTIONS",
        "ProgressiveNetworks",
        "ProgressiveStage",
        "SemiSupervisedGAN",
        "UNROLLED_OPTIMIZERS",
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
        "dcgan_preset",
        "fade_real_images",
        "progan_adam",
        "set_fade_alpha",
        "sgan_dataset",
        "with_output",
    ]
