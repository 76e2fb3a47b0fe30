using System;
using System.Collections.Concurrent;
using Microsoft.Extensions.Compliance.Classification;
using Microsoft.Extensions.Compliance.Redaction;

namespace Rampart.Logging;

/// <summary>
/// The redactors used by generated request logs, one per data classification, from the application's
/// <see cref="IRedactorProvider"/> (configure an HMAC redactor with <c>AddRedaction</c> so equal
/// values correlate). Without a provider every classified value is replaced by a fixed marker:
/// redaction never depends on something being switched on.
/// </summary>
public sealed class RequestRedaction
{
    private readonly IRedactorProvider? _provider;
    private readonly ConcurrentDictionary<DataClassification, Redactor> _redactors = new();

    /// <summary>Creates the redaction from the application's provider, or the fixed-marker fallback.</summary>
    public RequestRedaction(IRedactorProvider? provider) => _provider = provider;

    /// <summary>The redactor of <see cref="RampartTaxonomy.Sensitive"/>.</summary>
    public Redactor Sensitive => For(RampartTaxonomy.Sensitive);

    /// <summary>The redactor of <paramref name="classification"/>.</summary>
    public Redactor For(DataClassification classification) =>
        _redactors.GetOrAdd(classification, static (c, provider) => provider?.GetRedactor(new DataClassificationSet(c)) ?? MarkerRedactor.Instance, _provider);

    /// <summary>Replaces any value with <c>[redacted]</c>.</summary>
    public sealed class MarkerRedactor : Redactor
    {
        /// <summary>The shared instance.</summary>
        public static readonly MarkerRedactor Instance = new();

        private const string Marker = "[redacted]";

        /// <inheritdoc />
        public override int GetRedactedLength(ReadOnlySpan<char> input) => Marker.Length;

        /// <inheritdoc />
        public override int Redact(ReadOnlySpan<char> source, Span<char> destination)
        {
            Marker.AsSpan().CopyTo(destination);
            return Marker.Length;
        }
    }
}
