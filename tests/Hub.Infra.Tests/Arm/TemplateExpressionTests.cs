using System.Text.RegularExpressions;

namespace Hub.Infra.Tests.Arm;

/// <summary>
/// What the schemas cannot see inside the template's expressions: names of parameters, variables and functions,
/// balanced brackets, dependencies on resources that exist, and <c>reference()</c> calls with the resource's own API version.
/// </summary>
public sealed partial class TemplateExpressionTests
{
    private readonly ArmTemplate _template = ArmTemplate.Load();

    [Fact]
    public void Expressions_AreBalanced()
    {
        var unbalanced = _template.Expressions().Where(e => !ArmExpression.IsBalanced(e.Expression)).Select(e => $"{e.Path}: {e.Expression}").ToList();

        Assert.True(unbalanced.Count == 0, string.Join(Environment.NewLine, unbalanced));
    }

    [Fact]
    public void Expressions_CallOnlyTemplateFunctions()
    {
        var unknown = _template.Expressions()
            .SelectMany(e => ArmExpression.FunctionsCalled(e.Expression).Select(f => (e.Path, Function: f)))
            .Where(c => !ArmExpression.TemplateFunctions.Contains(c.Function) && !c.Function.StartsWith("list", StringComparison.Ordinal))
            .Select(c => $"{c.Path}: {c.Function}()")
            .ToList();

        Assert.True(unknown.Count == 0, "not ARM template functions:" + Environment.NewLine + string.Join(Environment.NewLine, unknown));
    }

    /// <summary>
    /// Parameters without a safe default: the students' image (no registry may be named in the repository, and an empty
    /// image would fail the control plane's start), so the portal and <c>az</c> ask for it.
    /// </summary>
    private static readonly IReadOnlySet<string> ChosenByTheDeployer = new HashSet<string>(StringComparer.Ordinal) { "containerInstancesImage" };

    [Fact]
    public void Parameters_AreDeclaredUsedAndDescribed()
    {
        var referenced = References("parameters");
        var declared = _template.Parameters.Select(p => p.Key).ToHashSet(StringComparer.Ordinal);

        Assert.Empty(referenced.Except(declared));
        Assert.Empty(declared.Except(referenced));
        foreach (var (name, parameter) in _template.Parameters)
        {
            string? description = (string?)parameter!["metadata"]?["description"];
            Assert.False(string.IsNullOrWhiteSpace(description), $"parameter '{name}' has no metadata.description");
            Assert.True(parameter.AsObject().ContainsKey("defaultValue") != ChosenByTheDeployer.Contains(name), $"parameter '{name}': every parameter needs a safe default, except those only the deployer can choose ({string.Join(", ", ChosenByTheDeployer)}), which have none");
        }
    }

    [Fact]
    public void Variables_AreDeclaredAndUsed()
    {
        var referenced = References("variables");
        var declared = _template.Variables.Select(v => v.Key).ToHashSet(StringComparer.Ordinal);

        Assert.Empty(referenced.Except(declared));
        Assert.Empty(declared.Except(referenced));
    }

    [Fact]
    public void DependsOn_NamesResourcesOfTheTemplate()
    {
        var types = _template.Resources.Select(r => r.Type).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var roleAssignmentNames = _template.OfType("Microsoft.Authorization/roleAssignments").Select(r => Inner(r.Name)).ToHashSet(StringComparer.Ordinal);
        var problems = new List<string>();

        foreach (var resource in _template.Resources)
        {
            foreach (string dependency in resource.Json["dependsOn"]?.AsArray().Select(d => (string)d!) ?? [])
            {
                if (ExtensionDependency().Match(dependency) is { Success: true } extension)
                {
                    if (!roleAssignmentNames.Contains(extension.Groups["name"].Value))
                    {
                        problems.Add($"{resource.Type} '{resource.Name}' depends on a role assignment the template does not declare: {dependency}");
                    }
                }
                else if (ResourceDependency().Match(dependency) is { Success: true } plain)
                {
                    if (!types.Contains(plain.Groups["type"].Value))
                    {
                        problems.Add($"{resource.Type} '{resource.Name}' depends on a {plain.Groups["type"].Value}, which the template does not declare");
                    }
                }
                else
                {
                    problems.Add($"{resource.Type} '{resource.Name}': dependency '{dependency}' is not a resourceId() or a role assignment's extensionResourceId()");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void References_UseTheApiVersionOfTheResourceTheyRead()
    {
        var versions = _template.Resources.GroupBy(r => r.Type, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Select(r => r.ApiVersion).ToHashSet(), StringComparer.OrdinalIgnoreCase);
        var problems = new List<string>();

        foreach (var (path, expression) in _template.Expressions())
        {
            foreach (Match call in ReferenceCall().Matches(expression))
            {
                string type = call.Groups["type"].Value;
                string version = call.Groups["version"].Value;
                if (!versions.TryGetValue(type, out var declared) || !declared.Contains(version))
                {
                    problems.Add($"{path}: reads {type} with API version {version}, but the template deploys it with {string.Join(", ", declared ?? [])}");
                }
            }
            int calls = ArmExpression.FunctionsCalled(expression).Count(f => f == "reference" || f.StartsWith("list", StringComparison.Ordinal));
            if (calls != ReferenceCall().Matches(expression).Count)
            {
                problems.Add($"{path}: reference() or list*() without a resourceId() and an API version: {expression}");
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void ExpressionChecks_CatchUndeclaredNamesAndUnknownFunctions()
    {
        Assert.Contains("typo", ArmExpression.LiteralArguments("[concat(parameters('typo'), variables('x'))]", "parameters"));
        Assert.Contains("resourceGroupz", ArmExpression.FunctionsCalled("[resourceGroupz().id]"));
        Assert.DoesNotContain("not", ArmExpression.FunctionsCalled("[format('not(this)', 1)]"));
        Assert.False(ArmExpression.IsBalanced("[concat('a', parameters('b')]"));
        Assert.False(ArmExpression.IsBalanced("[concat('a, 'b')]"));
        Assert.True(ArmExpression.IsBalanced("[variables('m')[parameters('k')]]"));
    }

    private HashSet<string> References(string function) =>
        _template.Expressions().SelectMany(e => ArmExpression.LiteralArguments(e.Expression, function)).ToHashSet(StringComparer.Ordinal);

    private static string Inner(string expression) => ArmExpression.IsExpression(expression) ? expression[1..^1] : expression;

    // [extensionResourceId(<scope>, 'Microsoft.Authorization/roleAssignments', guid(...))] → the guid(...) part.
    [GeneratedRegex(@"^\[extensionResourceId\(.*, 'Microsoft\.Authorization/roleAssignments', (?<name>guid\(.*\))\)\]$")]
    private static partial Regex ExtensionDependency();

    [GeneratedRegex(@"^\[resourceId\('(?<type>[^']+)'")]
    private static partial Regex ResourceDependency();

    // reference(resourceId('T', …), 'version') and listKeys(resourceId('T', …), 'version')
    [GeneratedRegex(@"(?:reference|list[A-Za-z]*)\(resourceId\('(?<type>[^']+)'(?:[^()]|\((?:[^()]|\([^()]*\))*\))*\), '(?<version>[0-9]{4}-[0-9]{2}-[0-9]{2}(?:-preview)?)'")]
    private static partial Regex ReferenceCall();
}
