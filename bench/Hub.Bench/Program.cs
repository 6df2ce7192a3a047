using BenchmarkDotNet.Running;

// Benchmarks of the hub's own code against real services; see bench/README.md for the scripts that run them.
BenchmarkSwitcher.FromAssembly(typeof(Hub.Bench.TableOperationBenchmarks).Assembly).Run(args);
