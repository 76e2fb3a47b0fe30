using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Rampart.Generator.Model;

namespace Rampart.Generator.Emitting;

internal sealed partial class ContractEmitter
{
    private void EmitPatterns()
    {
        for (int index = 0; index < _model.Patterns.Count; index++)
        {
            var pattern = _model.Patterns[index];
            if (!pattern.IsSimple)
            {
                _w.Line($"// {Comment(pattern.Pattern)}: not a simple anchored pattern, so it runs on a cached");
                _w.Line($"// NonBacktracking regex (linear time, ReDoS-safe) with a {pattern.TimeoutMilliseconds} ms timeout.");
                _w.Line($"private static readonly global::System.Text.RegularExpressions.Regex s_pattern{index} = global::Rampart.Validation.Rules.CreatePattern({Lit(pattern.Pattern)}, {pattern.TimeoutMilliseconds});");
                _w.Line();
                _w.Line($"private static bool Pattern{index}(string value) => global::Rampart.Validation.Rules.IsFullMatch(s_pattern{index}, value);");
                _w.Line();
                continue;
            }

            _w.Line($"// {Comment(pattern.Pattern)}, compiled to a single forward pass over the characters:");
            _w.Line("// each variable-length run is followed by characters it cannot contain, so greedy");
            _w.Line("// matching never has to backtrack and agrees with the regex's whole-value match.");
            _w.Open($"private static bool Pattern{index}(global::System.ReadOnlySpan<char> s)");
            _w.Line("int i = 0;");
            foreach (var atom in pattern.Atoms)
            {
                string test = CharTest(atom, "s[i]");
                _w.Line($"// {Comment(atom.Source)}");
                if (atom.Min == atom.Max)
                {
                    _w.Line($"if (s.Length - i < {atom.Min}) return false;");
                    _w.Open($"for (int end = i + {atom.Min}; i < end; i++)");
                    _w.Line($"if (!({test})) return false;");
                    _w.Close();
                }
                else
                {
                    _w.Open();
                    _w.Line("int start = i;");
                    string limit = atom.Max < 0 ? "s.Length" : $"global::System.Math.Min(s.Length, i + {atom.Max})";
                    _w.Line($"int stop = {limit};");
                    _w.Line($"while (i < stop && ({test})) i++;");
                    if (atom.Min > 0)
                    {
                        _w.Line($"if (i - start < {atom.Min}) return false;");
                    }

                    _w.Close();
                }
            }

            _w.Line("return i == s.Length;");
            _w.Close();
            _w.Line();
        }
    }

    private static string Comment(string text) => text.Replace("\r", "\\r").Replace("\n", "\\n");

    private static string CharTest(PatternAtom atom, string c)
    {
        var parts = new List<string>();
        foreach (var r in atom.Ranges)
        {
            parts.Add(r.First == r.Last ? $"{c} == {CharLit(r.First)}" : $"({c} >= {CharLit(r.First)} && {c} <= {CharLit(r.Last)})");
        }

        if (atom.UnicodeDigits)
        {
            parts.Add($"char.IsDigit({c})");
        }

        string any = string.Join(" || ", parts);
        return atom.Negated ? $"!({any})" : any;
    }

    private static string CharLit(char c) => Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(c, quote: true);

    private void EmitEnums()
    {
        foreach (var e in _model.Enums)
        {
            _w.Line($"// {e.FullName}: read and written by name, case-sensitive; numbers are rejected.");
            _w.Open($"private static bool ReadEnum_{e.Id}(ref {Reader} reader, out {e.FullName} value, out {BindingError} error)");
            _w.Open($"if (reader.TokenType == {TokenType}.String)");
            foreach (string name in e.Names)
            {
                _w.Line($"if (reader.ValueTextEquals({Utf8(name)})) {{ value = {e.FullName}.{Id(name)}; error = default; return true; }}");
            }

            _w.Close();
            _w.Line("value = default;");
            _w.Line($"error = {JsonRead}.Mismatch(ref reader, {Messages}.ExpectedEnum);");
            _w.Line("return false;");
            _w.Close();
            _w.Line();
            _w.Line($"private static bool ParseEnum_{e.Id}(string text, out {e.FullName} value)");
            _w.Open();
            _w.Open("switch (text)");
            foreach (string name in e.Names)
            {
                _w.Line($"case {Lit(name)}: value = {e.FullName}.{Id(name)}; return true;");
            }

            _w.Line("default: value = default; return false;");
            _w.Close();
            _w.Close();
            _w.Line();
            _w.Line($"private static string EnumName_{e.Id}({e.FullName} value) => value switch");
            _w.Open();
            // Aliases (two names, one value) are written with the first name declared.
            var written = new HashSet<string>();
            for (int i = 0; i < e.Names.Count; i++)
            {
                if (written.Add(e.Values[i]))
                {
                    _w.Line($"{e.FullName}.{Id(e.Names[i])} => {Lit(e.Names[i])},");
                }
            }

            _w.Line("_ => value.ToString(\"D\"),");
            _w.Close(";");
            _w.Line();
        }
    }

    private void EmitWriters()
    {
        foreach (var type in _model.ResponseTypes)
        {
            _w.Line($"// Writes {type.FullName} as JSON (camelCase names, enums by name).");
            _w.Open($"private static void Write_{type.Id}({Writer} writer, {type.FullName} value)");
            _w.Line("writer.WriteStartObject();");
            foreach (var m in type.Members)
            {
                _w.Line($"writer.WritePropertyName({Utf8(m.JsonName)});");
                EmitWriteValue("writer", m.Type, "value." + Id(m.Name));
            }

            _w.Line("writer.WriteEndObject();");
            _w.Close();
            _w.Line();
        }
    }

    private void EmitLogWriters()
    {
        _logMode = true;
        foreach (var type in new[] { _model.Request }.Concat(_model.NestedTypes))
        {
            _w.Line($"// {type.FullName} for the request log: JSON (so control characters are escaped), with");
            _w.Line("// classified and secret-looking members replaced by their redactor's output.");
            _w.Open($"internal static void WriteLog_{type.Id}({Writer} writer, {type.FullName} value, global::Rampart.Logging.RequestRedaction redaction)");
            _w.Line("writer.WriteStartObject();");
            // An OwnerId member is the caller's subject, logged once as user_id.
            foreach (var m in type.Members.Where(m => m.Source != MemberSource.Caller))
            {
                string access = "value." + Id(m.Name);
                _w.Line($"writer.WritePropertyName({Utf8(m.JsonName)});");
                if (m.Classification is null)
                {
                    EmitWriteValue("writer", m.Type, access);
                    continue;
                }

                string redactor = m.Classification == "Rampart" ? "redaction.Sensitive" : $"redaction.For(new {m.Classification}().Classification)";
                string v = Temp("secret");
                string text = m.Type.Kind switch
                {
                    ValueKind.String => v,
                    ValueKind.Object or ValueKind.Collection => "\"(value)\"",
                    _ => $"global::System.Convert.ToString({v}, global::System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty",
                };
                _w.Line($"writer.WriteStringValue({access} is {{ }} {v} ? {redactor}.Redact({text}) : null);");
            }

            _w.Line("writer.WriteEndObject();");
            _w.Close();
            _w.Line();
        }

        _logMode = false;
    }

    private void EmitWriteValue(string writer, TypeRef type, string expr)
    {
        if (type.Kind == ValueKind.String)
        {
            // WriteStringValue(null) writes JSON null.
            _w.Line($"{writer}.WriteStringValue({expr});");
            return;
        }

        bool mayBeNull = type.IsNullable || !type.IsValueType;
        if (mayBeNull)
        {
            string local = Temp("w");
            _w.Open($"if ({expr} is {{ }} {local})");
            EmitWriteNonNull(writer, type, local);
            _w.Close();
            _w.Line($"else {writer}.WriteNullValue();");
        }
        else
        {
            EmitWriteNonNull(writer, type, expr);
        }
    }

    private void EmitWriteNonNull(string writer, TypeRef type, string expr)
    {
        switch (type.Kind)
        {
            case ValueKind.Boolean:
                _w.Line($"{writer}.WriteBooleanValue({expr});");
                break;
            case ValueKind.Int32:
            case ValueKind.Int64:
            case ValueKind.Decimal:
            case ValueKind.Double:
                _w.Line($"{writer}.WriteNumberValue({expr});");
                break;
            case ValueKind.Guid:
            case ValueKind.DateTimeOffset:
            case ValueKind.String:
                _w.Line($"{writer}.WriteStringValue({expr});");
                break;
            case ValueKind.Enum:
                _w.Line($"{writer}.WriteStringValue(EnumName_{type.ObjectId}({expr}));");
                break;
            case ValueKind.Object:
                _w.Line(_logMode ? $"WriteLog_{type.ObjectId}({writer}, {expr}, redaction);" : $"Write_{type.ObjectId}({writer}, {expr});");
                break;
            case ValueKind.Collection:
                string item = Temp("item");
                _w.Line($"{writer}.WriteStartArray();");
                _w.Open($"foreach (var {item} in {expr})");
                EmitWriteValue(writer, type.Element!, item);
                _w.Close();
                _w.Line($"{writer}.WriteEndArray();");
                break;
        }
    }

}
