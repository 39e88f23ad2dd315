using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ticketing.Infrastructure.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class ReservationPathIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_tickets_IsWithdrawn_Price_Id",
                table: "tickets");

            migrationBuilder.DropIndex(
                name: "IX_tickets_IsWithdrawn_Status_Id",
                table: "tickets");

            migrationBuilder.CreateIndex(
                name: "IX_orders_BuyerId_Status_ExpiresAt",
                table: "orders",
                columns: new[] { "BuyerId", "Status", "ExpiresAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_orders_BuyerId_Status_ExpiresAt",
                table: "orders");

            migrationBuilder.CreateIndex(
                name: "IX_tickets_IsWithdrawn_Price_Id",
                table: "tickets",
                columns: new[] { "IsWithdrawn", "Price", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_tickets_IsWithdrawn_Status_Id",
                table: "tickets",
                columns: new[] { "IsWithdrawn", "Status", "Id" });
        }
    }
}
