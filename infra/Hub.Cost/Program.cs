using Hub.Cost.Command;

// ./hub cost: what a class costs on Azure, from the prices in prices.json.
return CostCommand.Run(args, Console.Out, Console.Error);
