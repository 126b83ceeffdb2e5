namespace Tuner.Data;
