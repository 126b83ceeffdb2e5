namespace Tuner.Training;
