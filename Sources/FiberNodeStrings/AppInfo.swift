/// Build facts shown on the splash and login screens.
public enum AppInfo {
    public static let version = "0.1.0"
}
