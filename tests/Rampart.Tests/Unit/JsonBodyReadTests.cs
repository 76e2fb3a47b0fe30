using System;
using System.IO;
using System.IO.Pipelines;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Rampart.Binding;
using Xunit;

namespace Rampart.Tests.Unit;

/// <summary>
/// JsonBody.ReadAsync on both of its paths: the server's body pipe (Kestrel), and the body stream when the
/// server has no pipe feature (the TestServer): same bytes, same 413 at one byte past the maximum, same 400
/// for an empty body, whatever the chunking and whether a length was declared.
/// </summary>
public sealed class JsonBodyReadTests
{
    private sealed class PipeFeature(PipeReader reader) : IRequestBodyPipeFeature
    {
        public PipeReader Reader { get; } = reader;
    }

    // Hands out at most `chunk` bytes per read, like a slow client.
    private sealed class TrickleStream(byte[] data, int chunk) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int n = Math.Min(Math.Min(chunk, buffer.Length), data.Length - _position);
            data.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            return Read(buffer.Span);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private static DefaultHttpContext Request(byte[] body, bool pipe, int chunk, bool declareLength)
    {
        var context = new DefaultHttpContext();
        context.Request.ContentType = "application/json";
        var stream = new TrickleStream(body, chunk);
        context.Request.Body = stream;
        if (declareLength)
        {
            context.Request.ContentLength = body.Length;
        }

        if (pipe)
        {
            context.Features.Set<IRequestBodyPipeFeature>(new PipeFeature(PipeReader.Create(stream)));
        }

        return context;
    }

    private static byte[] Body(int length)
    {
        var body = new byte[length];
        body.AsSpan().Fill((byte)' ');
        if (length >= 2)
        {
            body[0] = (byte)'{';
            body[^1] = (byte)'}';
        }

        return body;
    }

    public static TheoryData<bool, int, bool> Paths()
    {
        var data = new TheoryData<bool, int, bool>();
        foreach (bool pipe in new[] { true, false })
        {
            foreach (int chunk in new[] { 1, 7, 4096, int.MaxValue })
            {
                foreach (bool declare in new[] { true, false })
                {
                    data.Add(pipe, chunk, declare);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Reads_every_byte_up_to_the_maximum(bool pipe, int chunk, bool declareLength)
    {
        foreach (int length in new[] { 2, 100, 4095, 4096, 4097, 20_000 })
        {
            byte[] body = Body(length);
            using var read = await JsonBody.ReadAsync(Request(body, pipe, chunk == 1 && length > 4097 ? 997 : chunk, declareLength), maxBytes: 20_000);

            Assert.True(read.IsRead, $"length {length}");
            Assert.True(read.Span.SequenceEqual(body), $"length {length}");
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task One_byte_past_the_maximum_is_413(bool pipe, int chunk, bool declareLength)
    {
        foreach (int max in new[] { 10, 4096, 20_000 })
        {
            using var read = await JsonBody.ReadAsync(Request(Body(max + 1), pipe, chunk == 1 && max > 4096 ? 997 : chunk, declareLength), maxBytes: max);

            Assert.False(read.IsRead);
            Assert.Equal(StatusCodes.Status413PayloadTooLarge, read.Error.Status);
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task An_empty_body_is_400(bool pipe, int chunk, bool declareLength)
    {
        using var read = await JsonBody.ReadAsync(Request(Array.Empty<byte>(), pipe, chunk, declareLength), maxBytes: 100);

        Assert.False(read.IsRead);
        Assert.Equal(StatusCodes.Status400BadRequest, read.Error.Status);
        Assert.Equal(BindingMessages.BodyRequired, read.Error.Message);
    }

    [Fact]
    public async Task The_stream_path_registers_no_body_pipe()
    {
        var context = Request(Body(50), pipe: false, chunk: int.MaxValue, declareLength: true);

        using var read = await JsonBody.ReadAsync(context, maxBytes: 100);

        Assert.True(read.IsRead);
        Assert.Null(context.Features.Get<IRequestBodyPipeFeature>());
    }
}
