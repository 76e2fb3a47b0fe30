using System.Linq;
using Rampart.Generator.Model;

namespace Rampart.Generator.Emitting;

internal sealed partial class ContractEmitter
{
    private void EmitHandlerCall()
    {
        var handler = _model.Handler;
        string args = string.Join(", ", handler.Parameters.Select(p => p.Kind switch
        {
            ParameterKind.Request => "request",
            ParameterKind.Caller => "new global::Rampart.Caller(context.User, runtime.Permissions)",
            ParameterKind.Owner => "owner",
            ParameterKind.ClaimsPrincipal => "context.User",
            ParameterKind.HttpContext => "context",
            ParameterKind.CancellationToken => "context.RequestAborted",
            _ => $"global::Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<{p.TypeName}>(context.RequestServices)",
        }));
        string call = $"{_model.FullName}.{handler.Name}({args})";
        if (handler.Await != AwaitKind.None)
        {
            call = "await " + call;
        }

        _w.Line("// The handler, with its parameters injected.");
        if (handler.Results.Count == 1 && handler.Results[0].Kind == ResultKind.Empty)
        {
            _w.Line(call + ";");
            _w.Line("context.Response.StatusCode = 204;");
            return;
        }

        _w.Line($"var result = {call};");
        _w.Line();
        _w.Line("// The response, written by generated Utf8JsonWriter code.");
        if (!handler.IsUnion)
        {
            EmitResult(handler.Results[0], "result");
            return;
        }

        _w.Open("switch (result.Result)");
        foreach (var resultCase in handler.Results)
        {
            string name = Temp("r");
            _w.Open($"case {resultCase.TypeName} {name}:");
            EmitResult(resultCase, name);
            _w.Line("break;");
            _w.Close();
        }

        _w.Open("default:");
        _w.Line("// A union result that holds none of its declared cases is a handler bug.");
        _w.Line($"await {Problem}.WriteAsync(context, 500);");
        _w.Line("break;");
        _w.Close();
        _w.Close();
    }

    private void EmitResult(ResultCase result, string expr)
    {
        switch (result.Kind)
        {
            case ResultKind.StatusOnly:
                if (result.Status >= 400)
                {
                    _w.Line($"await {Problem}.WriteAsync(context, {result.Status});");
                }
                else
                {
                    _w.Line($"context.Response.StatusCode = {result.Status};");
                }

                break;
            case ResultKind.Problem:
                _w.Line($"await {Problem}.WriteAsync(context, {expr}.ProblemDetails);");
                break;
            case ResultKind.Created:
                _w.Line($"if ({expr}.Location is {{ }} location) context.Response.Headers.Location = location;");
                _w.Line($"context.Response.StatusCode = {result.Status};");
                break;
            case ResultKind.CreatedWithValue:
                _w.Line($"if ({expr}.Location is {{ }} location) context.Response.Headers.Location = location;");
                EmitJsonBody(result.Status, result.Value!, expr + ".Value", forceNullable: true);
                break;
            case ResultKind.StatusWithValue:
                EmitJsonBody(result.Status, result.Value!, expr + ".Value", forceNullable: true);
                break;
            case ResultKind.NullableValue:
                _w.Open($"if ({expr} is null)");
                _w.Line($"await {Problem}.WriteAsync(context, 404);");
                _w.Line("return;");
                _w.Close();
                EmitJsonBody(200, result.Value! with { IsNullable = false }, expr + (result.Value!.IsValueType ? ".Value" : string.Empty), forceNullable: false);
                break;
            case ResultKind.Value:
                EmitJsonBody(200, result.Value!, expr, forceNullable: false);
                break;
        }
    }

    private void EmitJsonBody(int status, TypeRef type, string expr, bool forceNullable)
    {
        string writer = Temp("writer");
        _w.Line($"var {writer} = global::Rampart.Responses.JsonResponse.Begin(context, {status});");
        EmitWriteValue(writer, forceNullable && !type.IsValueType ? type with { IsNullable = true } : type, expr);
        _w.Line($"await global::Rampart.Responses.JsonResponse.EndAsync(context, {writer});");
    }
}
