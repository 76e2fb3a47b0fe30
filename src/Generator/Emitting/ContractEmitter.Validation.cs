using System.Collections.Generic;
using System.Linq;
using Rampart.Generator.Model;

namespace Rampart.Generator.Emitting;

internal sealed partial class ContractEmitter
{
    private void EmitValidation()
    {
        _w.Line("// ---- Validation compiled from the contract's DataAnnotations attributes.");
        _w.Line("// ---- With errors == null it returns false at the first failure and allocates nothing;");
        _w.Line("// ---- with a collection it records every failure under its JSON path.");
        _w.Line();
        _w.Line("/// <summary>Validates a bound request; see the comment above for the two modes.</summary>");
        _w.Line($"public static bool Validate({_model.FullName} value, {Errors}? errors) => Validate_{_model.Request.Id}(value, errors, string.Empty);");
        _w.Line();
        EmitValidator(_model.Request, isContract: true);
        foreach (var nested in _model.NestedTypes.Where(NeedsValidation))
        {
            EmitValidator(nested, isContract: false);
        }
    }

    private bool NeedsValidation(ObjectModel type)
    {
        if (_needsValidation.TryGetValue(type.Id, out bool known))
        {
            return known;
        }

        _needsValidation[type.Id] = false; // cycles: assume no until proven
        bool needs = type.Members.Any(m => !m.Rules.IsEmpty || ReferencesValidated(m.Type));
        _needsValidation[type.Id] = needs;
        return needs;
    }

    private bool ReferencesValidated(TypeRef type) => type.Kind switch
    {
        ValueKind.Object => _requestObjects.TryGetValue(type.ObjectId!, out var o) && NeedsValidation(o),
        ValueKind.Collection => ReferencesValidated(type.Element!),
        _ => false,
    };

    private void EmitValidator(ObjectModel type, bool isContract)
    {
        _w.Open($"private static bool Validate_{type.Id}({type.FullName} value, {Errors}? errors, string path)");
        _w.Line("bool valid = true;");
        foreach (var m in type.Members)
        {
            EmitMemberRules(m);
        }

        if (isContract && _model.HasValidateHook)
        {
            _w.Line();
            _w.Line("// The contract's own cross-field rules (its static Validate hook) run last.");
            _w.Open("if (errors is null)");
            _w.Line($"{Errors}? hookErrors = null;");
            _w.Line($"{_model.FullName}.Validate(value, ref hookErrors);");
            _w.Line("if (hookErrors is not null) return false;");
            _w.Close();
            _w.Open("else");
            _w.Line($"{Errors}? collected = errors;");
            _w.Line($"{_model.FullName}.Validate(value, ref collected);");
            _w.Line("if (errors.Count > 0) valid = false;");
            _w.Close();
        }

        _w.Line("return valid;");
        _w.Close();
        _w.Line();
    }

    private void EmitFailure(string pathExpression, string message)
    {
        _w.Line("if (errors is null) return false;");
        _w.Line("valid = false;");
        _w.Line($"errors.Add({pathExpression}, {Lit(message)});");
    }

    private void EmitMemberRules(MemberModel m)
    {
        bool nested = ReferencesValidated(m.Type);
        if (m.Rules.IsEmpty && !nested)
        {
            return;
        }

        string path = $"{JsonPath}.Member(path, {Lit(m.JsonName)})";
        string access = "value." + Id(m.Name);
        _w.Line();
        _w.Line($"// {m.JsonName}");
        _count = null;
        if (m.Type.Kind == ValueKind.Collection && m.Rules.Any(r => r.Kind == RuleKind.Length))
        {
            // Count once for every length rule; the binder materialises interface-typed collections
            // as arrays, so an exact array check avoids enumerating or interface dispatch.
            _count = Temp("count");
            string c = Temp("c");
            string counted = m.Type.Shape switch
            {
                CollectionShape.Array => $"{c}.Length",
                CollectionShape.List => $"{c}.Count",
                _ => $"({c} is {TypeName(m.Type.Element!)}[] {c}Array ? {c}Array.Length : global::System.Linq.Enumerable.Count({c}))",
            };
            _w.Line($"int {_count} = {access} is {{ }} {c} ? {counted} : -1;");
        }

        foreach (var rule in m.Rules)
        {
            string? condition = FailureCondition(rule, m.Type, access);
            if (condition is null)
            {
                continue;
            }

            _w.Open($"if ({condition})");
            EmitFailure(path, rule.Message);
            _w.Close();
        }

        if (nested)
        {
            EmitNestedValidation(m.Type, access, path);
        }
    }

    private void EmitNestedValidation(TypeRef type, string access, string pathExpression)
    {
        if (type.Kind == ValueKind.Object)
        {
            string local = Temp("o");
            _w.Open($"if ({access} is {{ }} {local} && !Validate_{type.ObjectId}({local}, errors, errors is null ? string.Empty : {pathExpression}))");
            _w.Line("if (errors is null) return false;");
            _w.Line("valid = false;");
            _w.Close();
            return;
        }

        // Collections of objects: index loops (no enumerator allocation) for arrays, lists and IList.
        string items = Temp("c");
        string i = Temp("i");
        var element = type.Element!;
        string elementType = TypeName(element);
        string count = type.Shape switch
        {
            CollectionShape.Array => "Length",
            _ => "Count",
        };
        string listType = type.Shape == CollectionShape.ReadOnlyInterface ? $"global::System.Collections.Generic.IList<{elementType}>" : type.FullName;
        _w.Open($"if ({access} is {listType} {items})");
        _w.Open($"for (int {i} = 0; {i} < {items}.{count}; {i}++)");
        EmitNestedValidation(element, $"{items}[{i}]", $"{JsonPath}.Index({pathExpression}, {i})");
        _w.Close();
        _w.Close();
    }

    private static string LengthBounds(string length, RuleModel rule)
    {
        var bounds = new List<string>();
        if (rule.Minimum is not null)
        {
            bounds.Add($"{length} < {rule.Minimum}");
        }

        if (rule.Maximum is not null)
        {
            bounds.Add($"{length} > {rule.Maximum}");
        }

        return string.Join(" || ", bounds);
    }

    /// <summary>The C# condition under which <paramref name="rule"/> fails, or null if it cannot fail.</summary>
    private string? FailureCondition(RuleModel rule, TypeRef type, string access)
    {
        bool isString = type.Kind == ValueKind.String;
        bool nullableValue = type.IsNullable && type.IsValueType;
        string Number(string v) => v;
        switch (rule.Kind)
        {
            case RuleKind.Required:
                if (isString)
                {
                    // AllowEmptyStrings is carried in MaximumIsExclusive.
                    return rule.MaximumIsExclusive ? $"{access} is null" : $"string.IsNullOrWhiteSpace({access})";
                }

                return type.IsValueType && !type.IsNullable ? null : $"{access} is null";

            case RuleKind.Range:
            {
                string v = Temp("n");
                string low = rule.MinimumIsExclusive ? $"{v} > {Number(rule.Minimum!)}" : $"{v} >= {Number(rule.Minimum!)}";
                string high = rule.MaximumIsExclusive ? $"{v} < {Number(rule.Maximum!)}" : $"{v} <= {Number(rule.Maximum!)}";
                string pattern = nullableValue ? $"{{ }} {v}" : $"var {v}";
                return $"{access} is {pattern} && !({low} && {high})";
            }

            case RuleKind.Length when _count is not null:
                // Collections: counted once per member (see EmitMemberRules); -1 means null.
                return $"{_count} >= 0 && ({LengthBounds(_count, rule)})";

            case RuleKind.Length:
            {
                string s = Temp("s");
                return $"{access} is {{ }} {s} && ({LengthBounds(s + ".Length", rule)})";
            }

            case RuleKind.Pattern:
            {
                // Only null means "not given". Unlike RegularExpressionAttribute, which passes "" without
                // matching, the empty string is matched like any other value (docs/architecture.md, Patterns).
                string s = Temp("s");
                return $"{access} is {{ }} {s} && !Pattern{rule.PatternIndex}({s})";
            }

            case RuleKind.Email:
            {
                string s = Temp("s");
                return $"{access} is {{ }} {s} && !global::Rampart.Validation.Rules.IsEmailAddress({s})";
            }

            case RuleKind.Url:
            {
                string s = Temp("s");
                return $"{access} is {{ }} {s} && !global::Rampart.Validation.Rules.IsUrl({s})";
            }

            case RuleKind.AllowedValues:
            case RuleKind.DeniedValues:
            {
                // An absent optional value is not checked (as for every rule but [Required]),
                // unless null itself is listed.
                string any = "(" + string.Join(" || ", rule.Values.Select(v => $"{access} == {v}")) + ")";
                string condition = rule.Kind == RuleKind.AllowedValues ? "!" + any : any;
                bool canBeNull = type.IsNullable || !type.IsValueType;
                return canBeNull && !rule.Values.Contains("null") ? $"{access} is not null && {condition}" : condition;
            }
        }

        return null;
    }
}
