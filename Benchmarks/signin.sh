# Sourced by the HTTP benchmarks. sign_in BASE USER PASSWORD JAR signs USER in as a user would (the login form, then
# an API token made on the account page) and sets SESSION (the session cookie) and TOKEN (the API token).
csrf() { grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//'; }
sign_in() {
  local base=$1 user=$2 pass=$3 jar=$4 t
  rm -f "$jar"
  t=$(curl -s -c "$jar" -b "$jar" "$base/login" | csrf)
  curl -s -c "$jar" -b "$jar" -o /dev/null -d "_csrf=$t&username=$user&password=$pass&next=/home" "$base/login"
  SESSION=$(awk '$6 == "gz_session" {print $7}' "$jar")
  t=$(curl -s -c "$jar" -b "$jar" "$base/account" | csrf)
  TOKEN=$(curl -s -c "$jar" -b "$jar" -d "_csrf=$t&name=bench" "$base/account/tokens" | grep -o 'gz_[A-Za-z0-9_-]*' | head -1)
}
