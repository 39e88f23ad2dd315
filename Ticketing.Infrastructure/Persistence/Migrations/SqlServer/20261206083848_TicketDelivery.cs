using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ticketing.Infrastructure.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class TicketDelivery : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "e_tickets",
                columns: table => new
                {
                    OrderId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    TicketId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    BuyerId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Serial = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    IssuedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    SellerSendsBy = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    AdmittedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    AdmittedBy = table.Column<Guid>(type: "uniqueidentifier", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_e_tickets", x => x.OrderId);
                });

            migrationBuilder.CreateTable(
                name: "signing_keys",
                columns: table => new
                {
                    Name = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Secret = table.Column<byte[]>(type: "varbinary(max)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_signing_keys", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "ticket_file_contents",
                columns: table => new
                {
                    Key = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    Content = table.Column<byte[]>(type: "varbinary(max)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ticket_file_contents", x => x.Key);
                });

            migrationBuilder.CreateTable(
                name: "ticket_files",
                columns: table => new
                {
                    TicketId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    SellerId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    FileName = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    Kind = table.Column<string>(type: "nvarchar(8)", maxLength: 8, nullable: false),
                    Size = table.Column<int>(type: "int", nullable: false),
                    Sha256 = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    StorageKey = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    AttachedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ticket_files", x => x.TicketId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_e_tickets_Serial",
                table: "e_tickets",
                column: "Serial",
                unique: true);

            // Orders paid before e-tickets existed get theirs now (no seller deadline is set after the fact).
            // EXEC: compiled when it runs, after the table exists, also inside one scripted batch.
            migrationBuilder.Sql("EXEC(N'INSERT INTO [e_tickets] ([OrderId], [TicketId], [BuyerId], [Serial], [IssuedAt]) SELECT [Id], [TicketId], [BuyerId], LOWER(CONVERT(varchar(20), CRYPT_GEN_RANDOM(10), 2)), [UpdatedAt] FROM [orders] WHERE [Status] = N''Complete''');");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "e_tickets");

            migrationBuilder.DropTable(
                name: "signing_keys");

            migrationBuilder.DropTable(
                name: "ticket_file_contents");

            migrationBuilder.DropTable(
                name: "ticket_files");
        }
    }
}
