namespace Hub.Testing.Specs;

/// <summary>Where the folder of published specs was found, in the order the resolver tries them.</summary>
public enum SpecsOrigin
{
    /// <summary>The folder named by <c>HUB_SPECS_DIR</c>.</summary>
    SpecsDirVariable,

    /// <summary>A <c>shared/specs</c> folder beside the repository (the workplace that keeps the specs).</summary>
    BesideRepository,

    /// <summary>The cache that <c>./hub setup</c> fills from the manifest's URLs.</summary>
    Cache,
}
