using System.Globalization;
using System.Linq;
using Rampart.Generator.Model;

namespace Rampart.Generator.Emitting;

internal sealed partial class ContractEmitter
{
    private void EmitBinding()
    {
        if (!HasBody)
        {
            return;
        }

        _w.Line("// ---- Strict JSON binding: unknown, duplicate, mistyped, oversized and missing values are");
        _w.Line("// ---- rejected as they are met, before anything is allocated for them.");
        _w.Line();
        EmitReader(_model.Request, isContract: true);
        foreach (var nested in _model.NestedTypes)
        {
            EmitReader(nested, isContract: false);
        }
    }

    private void EmitReader(ObjectModel type, bool isContract)
    {
        var body = type.Members.Where(m => m.Source == MemberSource.Body).ToList();
        string state = isContract ? StateType() : string.Empty;
        string stateParameter = state.Length == 0 ? string.Empty : $"in {state} state, ";
        _w.Open($"private static bool Read_{type.Id}(ref {Reader} reader, {Limits} limits, {stateParameter}out {type.FullName} value, out {BindingError} error)");
        _w.Line("value = default!;");
        _w.Line($"if (!{JsonRead}.StartObject(ref reader, out error)) return false;");
        foreach (var m in body)
        {
            _w.Line($"{TypeName(m.Type)} m_{m.Name} = default{(m.Type.IsNullable || m.Type.IsValueType ? string.Empty : "!")};");
            _w.Line($"bool has_{m.Name} = false;");
        }

        _w.Open("while (true)");
        _w.Line("reader.Read();");
        _w.Line($"if (reader.TokenType == {TokenType}.EndObject) break;");
        bool first = true;
        foreach (var m in body)
        {
            _w.Open($"{(first ? string.Empty : "else ")}if (reader.ValueTextEquals({Utf8(m.JsonName)}))");
            first = false;
            _w.Line($"if (has_{m.Name}) {{ error = new {BindingError}(400, {Lit(m.JsonName)}, {Messages}.DuplicateProperty); return false; }}");
            _w.Line($"has_{m.Name} = true;");
            _w.Line("reader.Read();");
            EmitReadValue(m.Type, "m_" + m.Name, MaxLengthExpression(m), $"{{ error = error.Under({Lit(m.JsonName)}); return false; }}");
            _w.Close();
        }

        if (first)
        {
            _w.Line($"error = {JsonRead}.UnknownProperty(ref reader);");
            _w.Line("return false;");
        }
        else
        {
            _w.Open("else");
            _w.Line($"error = {JsonRead}.UnknownProperty(ref reader);");
            _w.Line("return false;");
            _w.Close();
        }

        _w.Close();
        _w.Line();
        foreach (var m in body.Where(m => m.IsRequired))
        {
            _w.Line($"if (!has_{m.Name}) {{ error = new {BindingError}(400, {Lit(m.JsonName)}, {Messages}.Required); return false; }}");
        }

        _w.Line($"value = {Construct(type, m => m.Source == MemberSource.Body ? "m_" + m.Name : StateAccess(m), m => m.Source == MemberSource.Body ? "has_" + m.Name : null)};");
        _w.Line("error = default;");
        _w.Line("return true;");
        _w.Close();
        _w.Line();
    }

    private static string MaxLengthExpression(MemberModel m)
    {
        if (m.MaxLength is { } max)
        {
            return max.ToString(CultureInfo.InvariantCulture);
        }

        return m.Type.Kind == ValueKind.Collection ? "limits.MaxCollectionLength" : "limits.MaxStringLength";
    }

    /// <summary>Reads the current token into <paramref name="target"/>; runs <paramref name="fail"/> on error.</summary>
    private void EmitReadValue(TypeRef type, string target, string max, string fail)
    {
        if (type.IsNullable)
        {
            _w.Line($"if (reader.TokenType == {TokenType}.Null) {{ {target} = null; }}");
            _w.Open("else");
            EmitReadNonNull(type, target, max, fail);
            _w.Close();
        }
        else
        {
            EmitReadNonNull(type, target, max, fail);
        }
    }

    private void EmitReadNonNull(TypeRef type, string target, string max, string fail)
    {
        string t = Temp("v");
        switch (type.Kind)
        {
            case ValueKind.String:
                _w.Line($"if (!{JsonRead}.String(ref reader, {max}, out var {t}, out error)) {fail}");
                break;
            case ValueKind.Enum:
                _w.Line($"if (!ReadEnum_{type.ObjectId}(ref reader, out var {t}, out error)) {fail}");
                break;
            case ValueKind.Object:
                _w.Line($"if (!Read_{type.ObjectId}(ref reader, limits, out var {t}, out error)) {fail}");
                break;
            case ValueKind.Collection:
                EmitReadCollection(type, t, max, fail);
                break;
            default:
                _w.Line($"if (!{JsonRead}.{type.Kind}(ref reader, out var {t}, out error)) {fail}");
                break;
        }

        _w.Line($"{target} = {t};");
    }

    private void EmitReadCollection(TypeRef type, string result, string max, string fail)
    {
        var element = type.Element!;
        string builder = Temp("items");
        string item = Temp("item");
        string elementType = TypeName(element);
        _w.Line($"if (!{JsonRead}.StartArray(ref reader, out error)) {fail}");
        _w.Line($"{type.FullName} {result};");
        _w.Line($"var {builder} = new global::Rampart.Binding.ArrayBuilder<{elementType}>();");
        _w.Open("try");
        _w.Open("while (true)");
        _w.Line("reader.Read();");
        _w.Line($"if (reader.TokenType == {TokenType}.EndArray) break;");
        _w.Line($"// Fail on the first item past the maximum: an oversized array never grows the buffer.");
        _w.Line($"if ({builder}.Count == {max}) {{ error = {BindingError}.Invalid({Messages}.ArrayTooLong); {fail.TrimStart('{').TrimEnd('}').Trim()} }}");
        _w.Line($"{elementType} {item} = default{(element.IsNullable || element.IsValueType ? string.Empty : "!")};");
        string elementFail = $"{{ error = error.Under({builder}.Count); {fail.TrimStart('{').TrimEnd('}').Trim()} }}";
        EmitReadValue(element, item, element.Kind == ValueKind.String ? "limits.MaxStringLength" : "limits.MaxCollectionLength", elementFail);
        _w.Line($"{builder}.Add({item});");
        _w.Close();
        _w.Line($"{result} = {builder}.{(type.Shape == CollectionShape.List ? "ToList" : "ToArray")}();");
        _w.Close();
        _w.Open("finally");
        _w.Line($"{builder}.Dispose();");
        _w.Close();
    }
}
