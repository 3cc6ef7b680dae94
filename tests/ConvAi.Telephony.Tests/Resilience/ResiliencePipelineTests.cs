using System.Net;
using ConvAi.Telephony.Tests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Telemetry;
using RichardSzalay.MockHttp;

namespace ConvAi.Telephony.Tests.Resilience;

/// <summary>Circuit breaker, concurrency limiter, jitter, options and pipeline replacement, through the real container and MockHttp.</summary>
public class ResiliencePipelineTests
{
    private const string ConversationUrl = ClientFixture.BaseUrl + "/v1/convai/conversations/conv_1";

    private readonly List<IDisposable> _disposables = [];
    private readonly List<ServiceProvider> _providers = [];

    [TearDown]
    public void TearDown()
    {
        foreach (var disposable in _disposables)
        {
            disposable.Dispose();
        }

        _disposables.Clear();
        _providers.Clear();
    }

    [Test]
    public async Task AddConvAiTelephony_CalledTwice_BuildsOneChainWithOneResilienceHandler()
    {
        var (client, mock, recorder) = Build(configureBuilder: b => b.Services.AddConvAiTelephony(o => o.ApiKey = ClientFixture.ApiKey));
        var failing = mock.When(HttpMethod.Get, ConversationUrl).Respond(HttpStatusCode.ServiceUnavailable);
        var factory = _providers[^1].GetRequiredService<IHttpMessageHandlerFactory>();

        var chain = new List<Type>();
        for (HttpMessageHandler? handler = factory.CreateHandler("ConvAi.Telephony"); handler is not null; handler = (handler as DelegatingHandler)?.InnerHandler)
        {
            chain.Add(handler.GetType());
        }

        Assert.ThrowsAsync<ConvAiApiException>(() => client.Conversations.GetAsync("conv_1"));

        var known = new[]
        {
            typeof(TelemetryHandler), typeof(ApiErrorHandler), typeof(ApiKeyHandler),
            typeof(ConvAiResilienceHandler), typeof(AttemptTelemetryHandler), typeof(MockHttpMessageHandler),
        };
        Assert.That(chain.Where(known.Contains), Is.EqualTo(known), "outermost first, each once");
        Assert.That(mock.GetMatchCount(failing), Is.EqualTo(4), "3 retries, not nested pipelines");
        Assert.That(recorder.Delays, Has.Count.EqualTo(3));
        await Task.CompletedTask;
    }

    [Test]
    public void GetAsync_TenServerFailuresInWindow_OpensCircuitAndStopsSending()
    {
        var (client, mock, _) = Build(r =>
        {
            r.MaxRetryAttempts = 0;
            r.CircuitBreakerMinimumThroughput = 10;
            r.CircuitBreakerFailureRatio = 0.5;
        });
        var failing = mock.When(HttpMethod.Get, ConversationUrl).Respond(HttpStatusCode.InternalServerError);

        for (var i = 0; i < 10; i++)
        {
            Assert.ThrowsAsync<ConvAiApiException>(() => client.Conversations.GetAsync("conv_1"));
        }

        Assert.ThrowsAsync<BrokenCircuitException>(() => client.Conversations.GetAsync("conv_1"));
        Assert.That(mock.GetMatchCount(failing), Is.EqualTo(10), "the 11th request was not sent");
    }

    [Test]
    public void GetAsync_429sOnly_DoNotOpenCircuit()
    {
        var (client, mock, _) = Build(r =>
        {
            r.MaxRetryAttempts = 0;
            r.CircuitBreakerMinimumThroughput = 10;
        });
        var limited = mock.When(HttpMethod.Get, ConversationUrl).Respond(HttpStatusCode.TooManyRequests);

        for (var i = 0; i < 20; i++)
        {
            Assert.ThrowsAsync<ConvAiRateLimitException>(() => client.Conversations.GetAsync("conv_1"));
        }

        Assert.That(mock.GetMatchCount(limited), Is.EqualTo(20));
    }

    [Test]
    public async Task GetAsync_OverConcurrencyLimit_QueuesThenRejectsPastTheQueue()
    {
        var (client, mock, _) = Build(r =>
        {
            r.MaxConcurrentRequests = 1;
            r.MaxQueuedRequests = 1;
        });
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sent = mock.When(HttpMethod.Delete, ConversationUrl);
        sent.Respond(async () =>
        {
            started.TrySetResult();
            await release.Task;
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}") };
        });

        var first = client.Conversations.DeleteAsync("conv_1");
        await started.Task;
        var queued = client.Conversations.DeleteAsync("conv_1");
        var rejected = Assert.ThrowsAsync<RateLimiterRejectedException>(() => client.Conversations.DeleteAsync("conv_1"));
        Assert.That(mock.GetMatchCount(sent), Is.EqualTo(1), "the queued request waits unsent");

        release.SetResult();
        await Task.WhenAll(first, queued);

        Assert.That(rejected, Is.Not.Null);
        Assert.That(mock.GetMatchCount(sent), Is.EqualTo(2), "queued request sent once a slot freed; rejected one never sent");
    }

    [Test]
    public async Task GetAsync_JitterOn_DelaysAreRandomizedWithinMaxDelay()
    {
        var (client, mock, recorder) = Build(r =>
        {
            r.UseJitter = true;
            r.MaxDelay = TimeSpan.FromSeconds(30);
        });
        var attempts = 0;
        mock.When(HttpMethod.Get, ConversationUrl).Respond(() => Task.FromResult(Interlocked.Increment(ref attempts) <= 3
            ? new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)
            : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(Resources.Read("Conversations/get.json")) }));

        await client.Conversations.GetAsync("conv_1");

        var delays = recorder.Delays.Select(d => d.TotalSeconds).ToArray();
        Assert.That(delays, Has.Length.EqualTo(3));
        Assert.That(delays.Min(), Is.GreaterThan(0.0));
        Assert.That(delays.Max(), Is.LessThanOrEqualTo(30.0));
        Assert.That(delays, Is.Not.EqualTo(new[] { 1.0, 2.0, 4.0 }));
    }

    [Test]
    public async Task GetAsync_RetryAfterDateInThePast_RetriesWithoutWaiting()
    {
        var (client, mock, recorder) = Build();
        var attempts = 0;
        var clock = new DateTimeOffset(2026, 11, 25, 11, 0, 0, TimeSpan.Zero);
        mock.When(HttpMethod.Get, ConversationUrl).Respond(() =>
        {
            if (Interlocked.Increment(ref attempts) == 1)
            {
                var busy = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
                busy.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(clock);
                return Task.FromResult(busy);
            }

            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(Resources.Read("Conversations/get.json")) });
        });

        await client.Conversations.GetAsync("conv_1");

        Assert.That(recorder.Delays, Is.EqualTo(new[] { TimeSpan.Zero }));
    }

    [Test]
    public async Task GetAsync_RetryAfterLongerThanMaxDelay_WaitsWhatTheServerAsked()
    {
        var (client, mock, recorder) = Build(r => r.MaxDelay = TimeSpan.FromSeconds(30));
        var attempts = 0;
        mock.When(HttpMethod.Get, ConversationUrl).Respond(() =>
        {
            if (Interlocked.Increment(ref attempts) == 1)
            {
                var busy = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
                busy.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(45));
                return Task.FromResult(busy);
            }

            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(Resources.Read("Conversations/get.json")) });
        });

        await client.Conversations.GetAsync("conv_1");

        Assert.That(recorder.Delays, Is.EqualTo(new[] { TimeSpan.FromSeconds(45) }), "Retry-After is capped by the time left of TotalTimeout, not by MaxDelay");
    }

    [Test]
    public void GetAsync_CallerCancels_IsNotRetried()
    {
        var (client, mock, recorder) = Build();
        using var cts = new CancellationTokenSource();
        var sent = mock.When(HttpMethod.Get, ConversationUrl);
        sent.Respond(async () =>
        {
            await cts.CancelAsync();
            cts.Token.ThrowIfCancellationRequested();
            return new HttpResponseMessage(HttpStatusCode.OK);
        });

        Assert.That(async () => await client.Conversations.GetAsync("conv_1", cancellationToken: cts.Token), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(mock.GetMatchCount(sent), Is.EqualTo(1));
        Assert.That(recorder.Delays, Is.Empty);
    }

    [Test]
    public void ReplaceResiliencePipeline_CustomPipeline_ReplacesDefaultRetries()
    {
        var used = false;
        var (client, mock, _) = Build(configureBuilder: b => b.ReplaceResiliencePipeline((pipeline, context) =>
        {
            used = true;
            Assert.That(pipeline.TimeProvider, Is.InstanceOf<SteppingTimeProvider>(), "the container's TimeProvider is set");
            Assert.That(context.ServiceProvider.GetService<TimeProvider>(), Is.SameAs(pipeline.TimeProvider), "the context gives the container");
            pipeline.AddTimeout(TimeSpan.FromSeconds(5));
        }));
        var failing = mock.When(HttpMethod.Get, ConversationUrl).Respond(HttpStatusCode.ServiceUnavailable);

        Assert.ThrowsAsync<ConvAiApiException>(() => client.Conversations.GetAsync("conv_1"));

        Assert.That(used, Is.True);
        Assert.That(mock.GetMatchCount(failing), Is.EqualTo(1), "no retry in the replacement pipeline");
    }

    [Test]
    public void ConfigureResilience_AfterConfigurationBinding_Wins()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConvAi:ApiKey"] = ClientFixture.ApiKey,
            ["ConvAi:Resilience:MaxRetryAttempts"] = "5",
            ["ConvAi:Resilience:UseJitter"] = "false",
            ["ConvAi:Resilience:MaxDelay"] = "00:00:10",
            ["ConvAi:Resilience:MaxQueuedRequests"] = "50",
            ["ConvAi:Resilience:MaxConcurrentRequests"] = "4",
        }).Build();
        var services = new ServiceCollection();
        services.AddConvAiTelephony(configuration.GetSection("ConvAi")).ConfigureResilience(r => r.MaxConcurrentRequests = 10);
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<ConvAiTelephonyOptions>>().Value.Resilience;

        Assert.Multiple(() =>
        {
            Assert.That(options.MaxRetryAttempts, Is.EqualTo(5));
            Assert.That(options.UseJitter, Is.False);
            Assert.That(options.MaxDelay, Is.EqualTo(TimeSpan.FromSeconds(10)));
            Assert.That(options.MaxQueuedRequests, Is.EqualTo(50));
            Assert.That(options.MaxConcurrentRequests, Is.EqualTo(10));
        });
    }

    [Test]
    public void GetAsync_RetryCountChangedInReloadedConfiguration_PipelineRebuiltWithNewValue()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConvAi:ApiKey"] = ClientFixture.ApiKey,
            ["ConvAi:Resilience:MaxRetryAttempts"] = "0",
            ["ConvAi:Resilience:UseJitter"] = "false",
        }).Build();
        using var mock = new MockHttpMessageHandler();
        var failing = mock.When(HttpMethod.Get, ConversationUrl).Respond(HttpStatusCode.ServiceUnavailable);
        var clock = new SteppingTimeProvider();
        var recorder = new RetryRecorder(clock);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.Configure<TelemetryOptions>(o => o.TelemetryListeners.Add(recorder));
        services.AddConvAiTelephony(configuration.GetSection("ConvAi")).HttpClientBuilder.ConfigurePrimaryHttpMessageHandler(() => mock);
        using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IConvAiTelephonyClient>();

        Assert.ThrowsAsync<ConvAiApiException>(() => client.Conversations.GetAsync("conv_1"));
        configuration["ConvAi:Resilience:MaxRetryAttempts"] = "2";
        configuration.Reload();
        Assert.ThrowsAsync<ConvAiApiException>(() => client.Conversations.GetAsync("conv_1"));

        Assert.That(mock.GetMatchCount(failing), Is.EqualTo(1 + 3), "no retry before the reload, 2 after it");
        Assert.That(recorder.Delays, Has.Count.EqualTo(2));
    }

    [Test]
    public void ContainerDisposed_ClientPipeline_IsDisposedWithIt()
    {
        var (_, _, _) = Build();
        var provider = _providers[^1];
        var pipeline = provider.GetRequiredService<Polly.Registry.ResiliencePipelineProvider<string>>()
            .GetPipeline<HttpResponseMessage>(ConvAiResiliencePipeline.PipelineKey);

        provider.Dispose();

        Assert.Throws<ObjectDisposedException>(() => pipeline.Execute(() => new HttpResponseMessage(HttpStatusCode.OK)));
    }

    [Test]
    public void CoreAssembly_DoesNotReferenceMicrosoftExtensionsHttpResilience()
    {
        var references = typeof(ConvAiTelephonyClient).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();

        Assert.That(references, Does.Contain("Polly.Core"), "the pipeline is Polly's");
        Assert.That(references, Has.None.StartsWith("Microsoft.Extensions.Http.Resilience").And.None.StartsWith("Microsoft.Extensions.Resilience"));
        Assert.That(references, Has.None.StartsWith("Microsoft.Extensions.Telemetry").And.None.StartsWith("Microsoft.Extensions.Http.Diagnostics"));
    }

    private static IEnumerable<TestCaseData> InvalidResilience()
    {
        yield return Invalid(r => r.TotalTimeout = TimeSpan.Zero, "ConvAi:Resilience:TotalTimeout must be positive.");
        yield return Invalid(r => r.BaseDelay = TimeSpan.FromSeconds(-1), "ConvAi:Resilience:BaseDelay must not be negative.");
        yield return Invalid(r => r.MaxDelay = TimeSpan.Zero, "ConvAi:Resilience:MaxDelay must be positive.");
        yield return Invalid(r => r.MaxDelay = TimeSpan.FromMilliseconds(500), "ConvAi:Resilience:MaxDelay must not be less than ConvAi:Resilience:BaseDelay.");
        yield return Invalid(r => r.MaxRetryAttempts = 11, "ConvAi:Resilience:MaxRetryAttempts must be between 0 and 10.");
        yield return Invalid(r => r.CircuitBreakerFailureRatio = 1.5, "ConvAi:Resilience:CircuitBreakerFailureRatio must be greater than 0 and at most 1.");
        yield return Invalid(r => r.CircuitBreakerMinimumThroughput = 1, "ConvAi:Resilience:CircuitBreakerMinimumThroughput must be at least 2.");
        yield return Invalid(r => r.CircuitBreakerSamplingDuration = TimeSpan.FromMilliseconds(100), "ConvAi:Resilience:CircuitBreakerSamplingDuration must be at least 500 milliseconds.");
        yield return Invalid(r => r.CircuitBreakerBreakDuration = TimeSpan.FromMilliseconds(100), "ConvAi:Resilience:CircuitBreakerBreakDuration must be at least 500 milliseconds.");
        yield return Invalid(r => r.MaxQueuedRequests = -1, "ConvAi:Resilience:MaxQueuedRequests must not be negative.");

        static TestCaseData Invalid(Action<ConvAiResilienceOptions> change, string message) => new TestCaseData(change, message).SetName(message.Split(' ')[0].Replace("ConvAi:Resilience:", string.Empty, StringComparison.Ordinal) + "_" + message.Length);
    }

    [TestCaseSource(nameof(InvalidResilience))]
    public void ConfigureResilience_InvalidValue_FailsAtStartupNamingTheKey(Action<ConvAiResilienceOptions> change, string message)
    {
        var services = new ServiceCollection();
        services.AddConvAiTelephony(o => o.ApiKey = ClientFixture.ApiKey).ConfigureResilience(change);
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => _ = provider.GetRequiredService<IOptions<ConvAiTelephonyOptions>>().Value);

        Assert.That(ex!.Failures, Does.Contain(message));
    }

    [Test]
    public async Task Constructor_WithoutContainer_RetriesReadsButNotCallPlacingPosts()
    {
        using var mock = new MockHttpMessageHandler();
        var attempts = 0;
        mock.When(HttpMethod.Get, ConversationUrl).Respond(() => Task.FromResult(Interlocked.Increment(ref attempts) == 1
            ? new HttpResponseMessage(HttpStatusCode.BadGateway)
            : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(Resources.Read("Conversations/get.json")) }));
        var call = mock.When(HttpMethod.Post, ClientFixture.BaseUrl + "/v1/convai/twilio/outbound-call").Respond(HttpStatusCode.BadGateway);
        var options = new ConvAiTelephonyOptions
        {
            ApiKey = ClientFixture.ApiKey,
            DefaultAgentId = ClientFixture.AgentId,
            DefaultPhoneNumberId = ClientFixture.PhoneNumberId,
            Resilience = new ConvAiResilienceOptions { BaseDelay = TimeSpan.Zero, UseJitter = false },
        };
        var client = new ConvAiTelephonyClient(options, mock);

        var conversation = await client.Conversations.GetAsync("conv_1");
        Assert.ThrowsAsync<ConvAiOutcomeUnknownException>(() => client.Calls.StartTwilioCallAsync(new StartTwilioCallRequest { ToNumber = "+14155550100" }));

        Assert.That(conversation.ConversationId, Is.Not.Null);
        Assert.That(attempts, Is.EqualTo(2));
        Assert.That(mock.GetMatchCount(call), Is.EqualTo(1));
    }

    /// <summary>
    /// A request sent through the client's real pipeline without going through a sub-client, as a new endpoint added
    /// without a <see cref="RequestKind"/> would be: an unmarked POST fails closed (sent once, the 503 surfaces), while a POST
    /// marked safe to repeat and an unmarked GET are retried.
    /// </summary>
    [TestCase("POST", null, 1, 503)]
    [TestCase("POST", nameof(RequestKind.CallPlacing), 1, 503)]
    [TestCase("POST", nameof(RequestKind.PhoneNumberImport), 1, 503)]
    [TestCase("POST", nameof(RequestKind.ResourceCreation), 1, 503)]
    [TestCase("POST", nameof(RequestKind.RetrySafe), 2, 200)]
    [TestCase("GET", null, 2, 200)]
    public async Task RawRequest_503ThenOk_RepeatedOnlyWhenDeclaredSafe(string method, string? mark, int expectedRequests, int expectedStatus)
    {
        const string Path = "/v1/convai/not-in-any-refit-interface";
        var (_, mock, recorder) = Build();
        var attempts = 0;
        var endpoint = mock.When(new HttpMethod(method), ClientFixture.BaseUrl + Path).Respond(_ => new HttpResponseMessage(
            Interlocked.Increment(ref attempts) == 1 ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK) { Content = new StringContent("{}") });
        var http = _providers[^1].GetRequiredService<IHttpClientFactory>().CreateClient(ConvAiTelephonyInfo.Name);
        using var request = new HttpRequestMessage(new HttpMethod(method), Path) { Content = new StringContent("{}") };
        if (mark is { } declared)
        {
            request.Options.Set(RequestKinds.OptionKey, Enum.Parse<RequestKind>(declared));
        }

        int status;
        try
        {
            using var response = await http.SendAsync(request);
            status = (int)response.StatusCode;
        }
        catch (ConvAiApiException ex)
        {
            status = (int)ex.StatusCode;
        }

        Assert.That(mock.GetMatchCount(endpoint), Is.EqualTo(expectedRequests));
        Assert.That(status, Is.EqualTo(expectedStatus));
        Assert.That(recorder.Delays, Has.Count.EqualTo(expectedRequests - 1));
    }

    private (IConvAiTelephonyClient Client, MockHttpMessageHandler Mock, RetryRecorder Recorder) Build(
        Action<ConvAiResilienceOptions>? configure = null, Action<IConvAiTelephonyBuilder>? configureBuilder = null)
    {
        var clock = new SteppingTimeProvider();
        var recorder = new RetryRecorder(clock);
        var mock = new MockHttpMessageHandler();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.Configure<TelemetryOptions>(o => o.TelemetryListeners.Add(recorder));
        var builder = services.AddConvAiTelephony(o =>
        {
            o.ApiKey = ClientFixture.ApiKey;
            o.DefaultAgentId = ClientFixture.AgentId;
            o.DefaultPhoneNumberId = ClientFixture.PhoneNumberId;
        }).ConfigureResilience(r =>
        {
            r.UseJitter = false;
            configure?.Invoke(r);
        });
        builder.HttpClientBuilder.ConfigurePrimaryHttpMessageHandler(() => mock);
        configureBuilder?.Invoke(builder);
        var provider = services.BuildServiceProvider();
        _disposables.Add(provider);
        _providers.Add(provider);
        _disposables.Add(mock);
        return (provider.GetRequiredService<IConvAiTelephonyClient>(), mock, recorder);
    }
}
