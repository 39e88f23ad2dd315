using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ticketing.Infrastructure.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class OperationsSafety : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "DeadLetteredAt",
                table: "outbox_messages",
                type: "datetimeoffset",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "buyer_reservation_gates",
                columns: table => new
                {
                    BuyerId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Stamp = table.Column<Guid>(type: "uniqueidentifier", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_buyer_reservation_gates", x => x.BuyerId);
                });

            migrationBuilder.CreateTable(
                name: "sign_in_lockouts",
                columns: table => new
                {
                    UserId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Client = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    FailedCount = table.Column<int>(type: "int", nullable: false),
                    LastFailureAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    LockedUntil = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_sign_in_lockouts", x => new { x.UserId, x.Client });
                });

            migrationBuilder.CreateIndex(
                name: "IX_sign_in_lockouts_LastFailureAt",
                table: "sign_in_lockouts",
                column: "LastFailureAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "buyer_reservation_gates");

            migrationBuilder.DropTable(
                name: "sign_in_lockouts");

            migrationBuilder.DropColumn(
                name: "DeadLetteredAt",
                table: "outbox_messages");
        }
    }
}
