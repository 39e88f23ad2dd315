using Mono.Cecil;
using Mono.Cecil.Cil;
using Ticketing.Domain.Common;

namespace Ticketing.Web.Tests.Architecture;

/// <summary>
/// Finds where one context's code changes another context's aggregates, by reading the IL with
/// Mono.Cecil (NetArchTest is built on it, and sees only type dependencies: reading another
/// context's rows depends on its type just as writing them does). A write is a call to a method of
/// an aggregate root of Ticketing.Domain.&lt;Context&gt; that changes it, and "changes it" is read from
/// the aggregate's own IL: the method stores to the aggregate's fields or setters, calls one of its
/// methods that does, or creates the aggregate. So a query such as <c>Order.IsExpired</c> is free to
/// call, and a new mutator is caught without anyone listing it.
/// </summary>
internal static class ContextWrites
{
    /// <summary>The contexts whose use cases and handlers live in Ticketing.Infrastructure.&lt;Context&gt;.</summary>
    public static readonly string[] Contexts = ["Tickets", "Orders", "Payments", "Delivery", "Identity", "Expiration"];

    public static IReadOnlyList<TypeDefinition> TypesOf(Type inAssembly, Func<TypeDefinition, bool> where)
    {
        var path = inAssembly.Assembly.Location;
        var resolver = new DefaultAssemblyResolver();
        resolver.AddSearchDirectory(Path.GetDirectoryName(path)!);
        var assembly = AssemblyDefinition.ReadAssembly(path, new ReaderParameters { AssemblyResolver = resolver });
        return assembly.MainModule.GetTypes().Where(where).ToList();
    }

    /// <summary>The context of a type in Ticketing.Infrastructure.&lt;Context&gt;; lambdas and state machines belong to their outer type's.</summary>
    public static string? InfrastructureContextOf(TypeDefinition type) =>
        Outermost(type).Namespace.Split('.') is ["Ticketing", "Infrastructure", var context, ..] && Contexts.Contains(context) ? context : null;

    public static TypeDefinition Outermost(TypeDefinition type) => type.DeclaringType is { } outer ? Outermost(outer) : type;

    /// <summary>Each write to another context's aggregate, as "Caller context → Aggregate.Method".</summary>
    public static IEnumerable<string> Find(IEnumerable<TypeDefinition> types, Func<TypeDefinition, string?> contextOf)
    {
        var changing = new Dictionary<string, bool>();
        foreach (var type in types)
        {
            var caller = contextOf(type);
            foreach (var instruction in type.Methods.Where(m => m.HasBody).SelectMany(m => m.Body.Instructions))
            {
                if (IsCall(instruction)
                    && ((MethodReference)instruction.Operand).Resolve() is { } target
                    && AggregateContext(target.DeclaringType) is { } owner
                    && owner != caller
                    && Changes(target, changing))
                {
                    yield return $"{caller} → {target.DeclaringType.Name}.{target.Name}";
                }
            }
        }
    }

    private static bool IsCall(Instruction instruction) =>
        instruction.Operand is MethodReference
        && (instruction.OpCode == OpCodes.Call || instruction.OpCode == OpCodes.Callvirt || instruction.OpCode == OpCodes.Newobj);

    /// <summary>The context of an aggregate root of the domain (Ticketing.Domain.&lt;Context&gt;); null for any other type.</summary>
    private static string? AggregateContext(TypeDefinition type)
    {
        for (var t = type.BaseType?.Resolve(); t is not null; t = t.BaseType?.Resolve())
        {
            if (t.FullName == typeof(AggregateRoot).FullName)
            {
                return type.Namespace.Split('.') is ["Ticketing", "Domain", var context, ..] ? context : null;
            }
        }

        return null;
    }

    private static bool Changes(MethodDefinition method, Dictionary<string, bool> known)
    {
        if (known.TryGetValue(method.FullName, out var changes))
        {
            return changes;
        }

        // Recursion between an aggregate's methods ends here: a cycle changes nothing by itself.
        known[method.FullName] = false;
        changes = method.IsConstructor
            || method.IsSetter
            || (method.IsStatic && method.ReturnType.FullName == method.DeclaringType.FullName)
            || (method.HasBody && method.Body.Instructions.Any(i => Writes(i, method.DeclaringType, known)));
        known[method.FullName] = changes;
        return changes;
    }

    private static bool Writes(Instruction instruction, TypeDefinition aggregate, Dictionary<string, bool> known)
    {
        if (instruction.OpCode == OpCodes.Stfld && instruction.Operand is FieldReference field)
        {
            return IsPartOf(field.DeclaringType, aggregate);
        }

        return (instruction.OpCode == OpCodes.Call || instruction.OpCode == OpCodes.Callvirt)
            && instruction.Operand is MethodReference called
            && called.Resolve() is { IsStatic: false, IsConstructor: false } target
            && IsPartOf(target.DeclaringType, aggregate)
            && Changes(target, known);
    }

    /// <summary>The aggregate's own type or one of its bases (the version and the events live on <see cref="AggregateRoot"/>).</summary>
    private static bool IsPartOf(TypeReference type, TypeDefinition aggregate)
    {
        for (var t = aggregate; t is not null; t = t.BaseType?.Resolve())
        {
            if (t.FullName == type.FullName)
            {
                return true;
            }
        }

        return false;
    }
}
