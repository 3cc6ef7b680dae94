using ConvAi.Telephony.Benchmarks.Tools;

// --cold-start client|client-noDI|handwritten|stack <base address>: the cold-start program of benchmarks/ (Tools/ColdStart.cs there).
return args is ["--cold-start", var mode, var baseAddress]
    ? await ColdStart.RunAsync(mode, new Uri(baseAddress))
    : await ColdStart.RunAsync("usage", new Uri("http://127.0.0.1/"));
