# syntax=docker/dockerfile:1
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props ./
COPY Ticketing.Domain/Ticketing.Domain.csproj Ticketing.Domain/
COPY Ticketing.Infrastructure/Ticketing.Infrastructure.csproj Ticketing.Infrastructure/
COPY Ticketing.Web/Ticketing.Web.csproj Ticketing.Web/
RUN dotnet restore Ticketing.Web/Ticketing.Web.csproj
COPY Ticketing.Domain/ Ticketing.Domain/
COPY Ticketing.Infrastructure/ Ticketing.Infrastructure/
COPY Ticketing.Web/ Ticketing.Web/
RUN dotnet publish Ticketing.Web/Ticketing.Web.csproj -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
# The SQLite file (default provider) lives in a volume the non-root user owns.
RUN mkdir -p /app/App_Data && chown -R app:app /app/App_Data
USER app
ENV ASPNETCORE_URLS=http://+:8080 \
    ASPNETCORE_ENVIRONMENT=Production \
    Database__Provider=Sqlite \
    ConnectionStrings__Ticketing="Data Source=/app/App_Data/ticketing.db"
EXPOSE 8080
VOLUME ["/app/App_Data"]
# The image has no curl or wget: the app answers the probe itself and exits 0 when ready.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["dotnet", "Ticketing.Web.dll", "--health-probe", "http://127.0.0.1:8080/health/ready"]
ENTRYPOINT ["dotnet", "Ticketing.Web.dll"]
