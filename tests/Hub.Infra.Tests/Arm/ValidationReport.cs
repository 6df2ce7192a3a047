using NJsonSchema.Validation;

namespace Hub.Infra.Tests.Arm;

/// <summary>
/// Turns NJsonSchema's error tree into the lines a reader needs. A resource fails the template schema as "none of
/// 500 resource schemas matched"; the alternatives written for other resource types or API versions (they fail on
/// <c>type</c> or <c>apiVersion</c>) say nothing about the mistake and are left out.
/// </summary>
internal static class ValidationReport
{
    public static IReadOnlyList<string> Lines(IEnumerable<ValidationError> errors)
    {
        var lines = new List<string>();
        foreach (var error in errors)
        {
            Collect(error, lines);
        }
        return lines.Distinct().ToList();
    }

    public static string Text(IEnumerable<ValidationError> errors) => string.Join(Environment.NewLine, Lines(errors));

    private static void Collect(ValidationError error, List<string> lines)
    {
        if (error is not ChildSchemaValidationError { Errors.Count: > 0 } parent)
        {
            lines.Add($"{error.Kind} at {error.Path}");
            return;
        }
        var relevant = parent.Errors.Values.Where(branch => !IsForAnotherResourceType(branch)).ToList();
        if (relevant.Count == 0)
        {
            lines.Add($"{error.Kind} at {error.Path}: no schema for this resource type and API version");
            return;
        }
        foreach (var branch in relevant)
        {
            foreach (var child in branch)
            {
                Collect(child, lines);
            }
        }
    }

    private static bool IsForAnotherResourceType(ICollection<ValidationError> branch) =>
        branch.Any(e => e.Kind == ValidationErrorKind.NotInEnumeration
            && (e.Path?.EndsWith(".type", StringComparison.Ordinal) == true || e.Path?.EndsWith(".apiVersion", StringComparison.Ordinal) == true));
}
