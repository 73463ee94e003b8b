namespace MsMano.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        Console.WriteLine("msmano: commands arrive with the issues that build them.");
        return 0;
    }
}
