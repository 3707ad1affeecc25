using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;

namespace InnerEye.Gateway.Api.Tests.Support;

/// <summary>Keeps every log line written through it — message, exception and scopes — for a test to read.</summary>
public sealed class RecordingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<LogLine> _lines = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public sealed record LogLine(string Category, LogLevel Level, string Text);

    public IReadOnlyList<LogLine> Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => new Recorder(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Recorder(RecordingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => provider._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var text = new StringBuilder(formatter(state, exception));
            // The structured values too: a provider that writes JSON writes each of them.
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
                foreach (var (key, value) in values) text.Append(" | ").Append(key).Append('=').Append(value);
            provider._scopes.ForEachScope((scope, line) => line.Append(" | scope ").Append(scope), text);
            if (exception is not null) text.Append('\n').Append(exception);
            provider._lines.Enqueue(new LogLine(category, logLevel, text.ToString()));
        }
    }
}
