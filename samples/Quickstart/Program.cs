Console.WriteLine("ConvAi.Telephony Quickstart: the full flow arrives with the emulator.");
