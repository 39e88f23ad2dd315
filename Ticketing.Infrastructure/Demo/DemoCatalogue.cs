namespace Ticketing.Infrastructure.Demo;

/// <summary>What the demo market lists: the kind of tickets people resell, with and without dates.</summary>
internal static class DemoCatalogue
{
    public sealed record Listing(string Title, decimal Price, int? DaysAhead = null, int Hour = 19, string? Venue = null, string? Description = null);

    public static readonly string[] Sellers = ["maria.schulz", "tom.baker", "lena.hoffmann", "james.oconnor", "sofia.rossi"];

    public const string Buyer = "sam.buyer";

    public static readonly Listing[] Listings =
    [
        new("Arctic Monkeys, standing", 85m, 12, 19, "O2 Arena, London", "Standing ticket, e-ticket transferred after payment."),
        new("Coldplay, Music of the Spheres, block 104", 129.50m, 40, 18, "Olympiastadion, Berlin", "Seated, row 22. Can't make it any more."),
        new("Billie Eilish, floor", 110m, 21, 19, "Accor Arena, Paris"),
        new("Champions League quarter-final, north stand", 240m, 30, 19, "Allianz Arena, Munich", "Two seats next to each other are listed separately."),
        new("Hamilton, matinee, dress circle", 95m, 9, 13, "Victoria Palace Theatre, London"),
        new("The Lion King, stalls row K", 120m, 16, 18, "Stage Theater im Hafen, Hamburg"),
        new("Foo Fighters, seated level 2", 99m, 45, 18, "Ernst-Happel-Stadion, Vienna"),
        new("Taylor Swift, The Eras Tour, level 1", 350m, 60, 17, "Wembley Stadium, London", "Official resale price; ID check at the door."),
        new("Berlin Philharmonic, Mahler 5", 68m, 7, 19, "Philharmonie, Berlin"),
        new("Jazz night at the Blue Note", 45m, 4, 20, "Blue Note, New York"),
        new("Wimbledon, Centre Court, day 3", 310m, 80, 11, "All England Club, London"),
        new("Ed Sheeran, Mathematics Tour", 89m, 33, 18, "Letzigrund, Zurich"),
        new("Stand-up comedy special, front row", 35m, 5, 20, "Comedy Store, London"),
        new("Formula 1 Grand Prix, Sunday grandstand", 280m, 70, 13, "Red Bull Ring, Spielberg"),
        new("Metallica, M72 World Tour, golden circle", 175m, 52, 17, "Parken, Copenhagen"),
        new("Opera: La Traviata, box seat", 140m, 19, 19, "Wiener Staatsoper, Vienna", "Box 7, seat 2. Dress code: smart."),
        new("NBA Europe game, courtside view", 260m, 27, 20, "Accor Arena, Paris"),
        new("Rammstein, Feuerzone", 160m, 38, 19, "Olympiastadion, Munich"),
        new("Dua Lipa, Radical Optimism Tour", 92m, 24, 19, "Ziggo Dome, Amsterdam"),
        new("Bundesliga: Dortmund vs. Leverkusen, south stand", 65m, 11, 15, "Signal Iduna Park, Dortmund"),
        new("Cirque du Soleil, category 1", 78m, 14, 20, "Royal Albert Hall, London"),
        new("Hans Zimmer Live", 115m, 48, 19, "Lanxess Arena, Cologne"),
        new("Glastonbury weekend ticket", 355m, 120, 10, "Worthy Farm, Pilton", "Includes camping. Name change through the official resale."),
        new("Rock am Ring, 3-day pass", 249m, 95, 12, "Nürburgring", "Wristband sent by post."),
        new("Sziget Festival, 7-day pass", 299m, 110, 12, "Óbuda Island, Budapest"),
        new("Tomorrowland, weekend 1 full madness", 410m, 130, 12, "De Schorre, Boom"),
        new("Six Nations: England vs. France", 150m, 66, 16, "Twickenham Stadium, London"),
        new("Coldplay, second night, general admission", 105m, 41, 18, "Olympiastadion, Berlin"),
        new("Nick Cave & The Bad Seeds", 88m, 26, 20, "Columbiahalle, Berlin"),
        new("Museum late: Van Gogh by candlelight", 25m, 3, 19, "Van Gogh Museum, Amsterdam"),
        new("Cooking class with a Michelin chef", 90m, 8, 18, "Markthalle Neun, Berlin", "Voucher for one person, date fixed."),
        new("Gift voucher, any concert at the Konzerthaus", 50m, Description: "Valid for two years, no fixed date."),
        new("Theme park day pass, flexible date", 59m, Description: "Open-dated ticket, valid this season."),
        new("Zoo annual pass transfer", 40m, Venue: "Tierpark Hellabrunn, Munich", Description: "Transferable once, no date."),
        new("Harry Potter and the Cursed Child, parts 1 and 2", 145m, 23, 14, "Mehr! Theater, Hamburg"),
        new("Eurovision semi-final, jury show", 130m, 88, 20, "St. Jakobshalle, Basel"),
        new("Ice hockey: Eisbären vs. Adler, seated", 42m, 6, 19, "Uber Arena, Berlin"),
        new("Kendrick Lamar, Grand National Tour", 135m, 35, 20, "Waldbühne, Berlin"),
        new("Adele, Munich residency, category 2", 220m, 56, 19, "Messe München, Munich"),
        new("Radiohead reunion show, balcony", 155m, 74, 19, "Royal Albert Hall, London", "Balcony, unrestricted view."),
    ];
}
